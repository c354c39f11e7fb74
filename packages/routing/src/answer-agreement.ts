import { checkMath } from "./gsm8k-verifier.js";

/** Whether two answers to the same prompt agree, and how that was decided. */
export interface Agreement {
  readonly agree: boolean;
  /** "numeric": both carry a marked final number (GSM8K style); "text": equal after normalisation; "overlap": token Jaccard. */
  readonly method: "numeric" | "text" | "overlap";
  /** 1 or 0 for numeric; 1 for equal text; the Jaccard overlap otherwise. */
  readonly similarity: number;
}

/** Token Jaccard at or above which two free-text answers count as agreeing. */
export const OVERLAP_AGREEMENT = 0.6;

/**
 * L4 shadow agreement between an accepted answer and the next tier's answer.
 * The shadow is a proxy for the truth: agreement means the cheap tier's
 * answer would likely have survived escalation.
 *
 * - Worked math (both answers are worked — a final answer after "####" or
 *   "the answer is", or arithmetic the verifier checked — and both have a
 *   final number): the GSM8K verifier's final numbers must be equal (to 1e-6).
 *   Reasoning that differs on the way to the same number is agreement.
 * - Otherwise text: lower-cased, punctuation and whitespace collapsed; equal
 *   texts agree, else token-set Jaccard ≥ OVERLAP_AGREEMENT (0.6) agrees.
 *   Short answers (a letter, a word) therefore agree only when equal.
 */
export function answersAgree(accepted: string, shadow: string): Agreement {
  const a = checkMath(accepted);
  const b = checkMath(shadow);
  const worked = (m: typeof a): boolean => m.finalMarked || m.checked > 0;
  if (a.finalAnswer !== undefined && b.finalAnswer !== undefined && worked(a) && worked(b)) {
    const agree = Math.abs(a.finalAnswer - b.finalAnswer) <= 1e-6 * Math.max(1, Math.abs(b.finalAnswer));
    return { agree, method: "numeric", similarity: agree ? 1 : 0 };
  }
  const x = normalise(accepted);
  const y = normalise(shadow);
  if (x === y) return { agree: true, method: "text", similarity: 1 };
  const similarity = jaccard(new Set(x.split(" ")), new Set(y.split(" ")));
  return { agree: similarity >= OVERLAP_AGREEMENT, method: "overlap", similarity };
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let both = 0;
  for (const t of a) if (b.has(t)) both++;
  return both / (a.size + b.size - both);
}
