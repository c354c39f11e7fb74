// Replaying recorded answers: given a prompt that is one of a dataset's
// questions, the answer a model really gave to it and whether that answer was
// right. This is what lets a simulated tier answer like Mixtral or GPT-4 did.
//
// Matching is exact after whitespace normalisation (normalizePrompt), on the
// whole prompt or, for a chat, on its last user message: a prompt flattened by
// @weir/tokens' flattenMessages is parsed back, and turns or { messages } are
// accepted as they are. Where the same question occurs twice in a dataset
// (MMLU repeats a few), the first row wins.
//
// Datasets without answer text (MMLU) get a SYNTHETIC answer that only states
// the recorded correctness, e.g. "(replayed mmlu answer: recorded as correct)",
// marked `synthetic: true`; it is not what the model said, only what the
// quality estimate should conclude. Pass { synthesizeMissing: false } to get
// `response: undefined` instead.

import { type ChatTurn, parseFlattenedMessages } from "@weir/tokens";
import type { LabelledDataset, LabelledRow } from "./labelled-dataset.js";
import { normalizePrompt } from "./normalize-prompt.js";

export interface ReplayHit {
  /** The recorded answer text; the synthetic text when the dataset has none; undefined when synthesizeMissing is false. */
  response: string | undefined;
  /** Whether the recorded answer was right. */
  correct: boolean;
  rowId: string;
  /** True when `response` is the synthetic text rather than a recorded answer. */
  synthetic: boolean;
}

/** A prompt string (possibly a flattened chat), chat turns, or a request with messages. */
export type ReplayQuery = string | readonly ChatTurn[] | { readonly messages: readonly ChatTurn[] };

export interface ReplayIndexOptions {
  /** Give rows without answer text a synthetic answer that states their correctness. Default true. */
  synthesizeMissing?: boolean;
}

/** The text replayed for a row without a recorded answer. */
export function syntheticAnswer(datasetName: string, correct: boolean): string {
  return `(replayed ${datasetName} answer: recorded as ${correct ? "correct" : "incorrect"})`;
}

export class ReplayIndex {
  readonly dataset: string;
  readonly model: string;
  readonly #rows = new Map<string, LabelledRow>();
  readonly #synthesize: boolean;

  /** Indexes `dataset`'s rows for `model` (one of dataset.models; throws otherwise). */
  constructor(dataset: LabelledDataset, model: string, opts: ReplayIndexOptions = {}) {
    if (!dataset.models.includes(model)) {
      throw new Error(`dataset "${dataset.name}" has no model "${model}" (it has: ${dataset.models.join(", ")})`);
    }
    this.dataset = dataset.name;
    this.model = model;
    this.#synthesize = opts.synthesizeMissing ?? true;
    for (const row of dataset.rows) {
      const key = normalizePrompt(row.prompt);
      if (!this.#rows.has(key)) this.#rows.set(key, row);
    }
  }

  /** Distinct prompts indexed. */
  get size(): number {
    return this.#rows.size;
  }

  /** The recorded answer for a dataset question, or undefined when the prompt is not one. */
  lookup(query: ReplayQuery): ReplayHit | undefined {
    let row: LabelledRow | undefined;
    if (typeof query === "string") {
      row = this.#rows.get(normalizePrompt(query));
      if (row === undefined) {
        const turns = parseFlattenedMessages(query);
        if (turns !== undefined) row = this.#lastUserRow(turns);
      }
    } else {
      row = this.#lastUserRow(isTurns(query) ? query : query.messages);
    }
    return row === undefined ? undefined : this.#hit(row);
  }

  #lastUserRow(turns: readonly ChatTurn[]): LabelledRow | undefined {
    for (let i = turns.length - 1; i >= 0; i--) {
      const turn = turns[i] as ChatTurn;
      if (turn.role === "user") return this.#rows.get(normalizePrompt(turn.content));
    }
    return undefined;
  }

  #hit(row: LabelledRow): ReplayHit {
    const correct = row.correct[this.model] ?? false;
    const recorded = row.response[this.model];
    if (recorded !== undefined) return { response: recorded, correct, rowId: row.id, synthetic: false };
    return {
      response: this.#synthesize ? syntheticAnswer(this.dataset, correct) : undefined,
      correct,
      rowId: row.id,
      synthetic: this.#synthesize,
    };
  }
}

function isTurns(q: readonly ChatTurn[] | { readonly messages: readonly ChatTurn[] }): q is readonly ChatTurn[] {
  return Array.isArray(q);
}
