import type { ConversationTurnView } from "./conversation-view.js";
import { matchRepeat } from "./turn-delta.js";

export interface ReuseCandidate {
  readonly turn: ConversationTurnView;
  /** The request whose generation produced the answer (a reused turn points at its source). */
  readonly sourceRequestId: string;
  readonly similarity: number;
}

/**
 * The stored turn whose answer the new question can reuse. Walks back from
 * the newest turn: a turn asking the same thing is a match; a reused turn
 * added nothing, so the walk goes on past it; any other turn brought new
 * context (the user asked something else, and the earlier answer may no
 * longer hold), so the walk stops there. The source of a matched reused
 * turn is the request that generated its text.
 */
export function findReusableTurn(question: string, turns: readonly ConversationTurnView[]): ReuseCandidate | undefined {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    const match = matchRepeat(question, turn.question);
    if (match !== undefined && turn.answer !== "") {
      return { turn, sourceRequestId: sourceOf(turns, i), similarity: match.similarity };
    }
    if (!turn.reused) return undefined;
  }
  return undefined;
}

/** A reused turn's text came from the nearest earlier turn that asked the same and was generated. */
function sourceOf(turns: readonly ConversationTurnView[], i: number): string {
  for (let j = i; j >= 0; j--) {
    const t = turns[j]!;
    if (!t.reused && t.answer === turns[i]!.answer) return t.requestId;
  }
  return turns[i]!.requestId;
}
