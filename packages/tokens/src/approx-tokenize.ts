// PLACEHOLDER tokenizer. Weir needs token ids today (for token counts and for
// the chained KV block hashes that prefix caching is keyed on) before any real
// model tokenizer is wired in; the engines issue replaces this with a real BPE
// tokenizer from npm, per model. Until then, ids are deterministic hashes of
// text pieces and counts are shaped to look like BPE counts (≈ chars/4 for
// English prose), so that budgets, usage and cache reuse behave plausibly.
//
// Pieces, in the order the regex tries them:
//   - one CJK character (Han, Hiragana, Katakana): BPE spends ≥ 1 token on each;
//   - a word (letters and combining marks): kept whole up to WHOLE_WORD_MAX
//     code units, longer words cut into WORD_PIECE-unit pieces, the way BPE
//     breaks rare long words into sub-words;
//   - a number: cut into groups of up to 3 digits, as GPT-style BPEs do;
//   - any other non-space character (punctuation, symbols): one token each.
// Whitespace produces no token (BPE folds it into the following piece).

import { fnv1a32 } from "./fnv1a.js";

const CJK = String.raw`[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]`;
// Groups: 1 = word, 2 = number; a match with neither is a one-character piece.
const PIECE = new RegExp(
  `${CJK}|((?:(?!${CJK})[\\p{L}\\p{M}])+)|(\\p{N}+)|[^\\s\\p{L}\\p{M}\\p{N}]`,
  "gu",
);

/** Words up to this many UTF-16 code units are one token. */
const WHOLE_WORD_MAX = 6;
/** Longer words are cut into pieces of this many code units. */
const WORD_PIECE = 4;
/** Numbers are cut into groups of this many digits. */
const DIGIT_GROUP = 3;

/**
 * Calls `visit(start, end)` for every token-sized range of `text`. Shared by
 * approxTokenize and countTokens so that both always agree.
 */
function forEachToken(text: string, visit: (start: number, end: number) => void): void {
  PIECE.lastIndex = 0;
  for (let m = PIECE.exec(text); m !== null; m = PIECE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    let step = end - start;
    if (m[1] !== undefined && step > WHOLE_WORD_MAX) step = WORD_PIECE;
    else if (m[2] !== undefined) step = DIGIT_GROUP;
    for (let s = start; s < end; s += step) visit(s, Math.min(s + step, end));
  }
}

/**
 * PLACEHOLDER: approximate token ids of `text` (unsigned 32-bit FNV-1a hashes
 * of the pieces). Deterministic across processes and runs; not the ids of any
 * real model.
 */
export function approxTokenize(text: string): number[] {
  const ids: number[] = [];
  forEachToken(text, (start, end) => {
    ids.push(fnv1a32(text, start, end));
  });
  return ids;
}

/** PLACEHOLDER: the number of tokens approxTokenize would return, without hashing. */
export function countTokens(text: string): number {
  let n = 0;
  forEachToken(text, () => {
    n++;
  });
  return n;
}
