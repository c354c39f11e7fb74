// The benchmark's requests: GSM8K questions from the vendored RouteLLM data,
// each with both models' recorded answers (the small model's is what the
// judge reads; their token counts are the replayed output lengths) and the
// prompt as a worker sees it (chat turns flattened, Llama 3 BPE), whose
// chained block hashes drive the simulated prefix caches.

import { type LabelledDataset, splitDataset } from "@weir/datasets";
import { fillerTokens, llama3Tokenizer } from "@weir/sim";
import { type ChatTurn, blockHashes, countTokens, flattenMessages, tokenize } from "@weir/tokens";

export interface WorkloadRow {
  id: string;
  /** What the client sends: the question as the user turn, after the synthetic context when there is one. */
  messages: ChatTurn[];
  /** The small tier's recorded answer (the judge reads it). */
  smallAnswer: string;
  promptTokens: number;
  /** Chained hashes of the flattened prompt's full 16-token blocks. */
  blockHashes: bigint[];
  smallOutputTokens: number;
  largeOutputTokens: number;
}

export interface WorkloadOptions {
  /** Dataset columns playing the tiers (the routing artifact's tier map). */
  smallModel: string;
  largeModel: string;
  /** Keep only the rows the artifact held out from training (same seed and test fraction). */
  heldOut?: { seed: number; testFraction: number } | undefined;
  /** At most this many rows, in file order. */
  limit?: number | undefined;
  /**
   * Tokens of synthetic context before each question, unique per request (a
   * stand-in for a retrieved document or a long system prompt): GSM8K
   * questions alone are ~60 tokens, too short for a prefill to matter. 0: none.
   */
  contextTokens?: number | undefined;
}

export const KV_BLOCK_TOKENS = 16;

export function buildWorkload(ds: LabelledDataset, opts: WorkloadOptions): WorkloadRow[] {
  for (const model of [opts.smallModel, opts.largeModel]) {
    if (!ds.models.includes(model)) throw new Error(`dataset ${ds.name} has no answers of "${model}" (it has ${ds.models.join(", ")})`);
  }
  let rows = ds.rows;
  if (opts.heldOut !== undefined) {
    const { seed, testFraction } = opts.heldOut;
    rows = splitDataset(ds, { seed, fractions: { train: 1 - testFraction, validation: 0, test: testFraction } }).test.rows;
  }
  if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
  const contextTokens = opts.contextTokens ?? 0;
  return rows.map((row, i) => {
    const smallAnswer = row.response[opts.smallModel];
    const largeAnswer = row.response[opts.largeModel];
    if (smallAnswer === undefined || largeAnswer === undefined) throw new Error(`row ${row.id} of ${ds.name} has no recorded answer text`);
    const messages: ChatTurn[] = [
      ...(contextTokens > 0 ? [{ role: "system", content: syntheticContext(contextTokens, i) }] : []),
      { role: "user", content: row.prompt },
    ];
    const ids = tokenize(flattenMessages(messages));
    return {
      id: row.id,
      messages,
      smallAnswer,
      promptTokens: Math.max(1, ids.length),
      blockHashes: blockHashes(ids, KV_BLOCK_TOKENS),
      smallOutputTokens: Math.max(1, countTokens(smallAnswer)),
      largeOutputTokens: Math.max(1, countTokens(largeAnswer)),
    };
  });
}

/** About n tokens of filler words, different for every request (seeded by its position). */
function syntheticContext(n: number, seed: number): string {
  return fillerTokens(n, 0x5eed0000 + seed, llama3Tokenizer).pieces.join("");
}
