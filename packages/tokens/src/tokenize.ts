// Text ⇄ Llama 3 token ids. Weir's tiers serve Llama 3.1 models, so prompt
// token counts, usage and the KV block hashes of prefix caching are all
// computed on the ids those models see.
//
// Same ids as llama3-tokenizer-js's encode(text, { bos: false, eos: false }),
// faster on the request path (the gateway tokenizes every prompt): the text is
// split into special tokens and pre-tokenizer pieces here, and each distinct
// piece is encoded by the package once and then remembered, across calls. BPE
// never merges across pieces and a piece's ids do not depend on its neighbours
// (see llama3.ts), so encoding piece by piece gives the package's ids exactly
// (the tests compare the two). Most pieces are one vocabulary entry; a
// repeated conversation prefix is then mostly Map lookups.

import { PRETOKEN, SPECIAL_TOKEN, llama3 } from "./llama3.js";

type Llama3 = ReturnType<typeof llama3>;

const NO_BOS_EOS = { bos: false, eos: false } as const;

/**
 * Distinct pieces remembered; past this the memo starts afresh (a bound on
 * memory, ~20 MB at most, for a long-running gateway that sees unbounded text).
 */
const MEMO_MAX_PIECES = 100_000;

/** Piece text → its id, or its ids when BPE splits it. */
const memo = new Map<string, number | readonly number[]>();

/**
 * The Llama 3 token ids of `text`, without BOS or EOS. Special-token strings
 * such as `<|eot_id|>` in the text become their special ids (as in Hugging
 * Face tokenizers' default). The first call loads the vocabulary (~220 ms);
 * see preloadTokenizer.
 */
export function tokenize(text: string): number[] {
  const tokenizer = llama3();
  const ids: number[] = [];
  if (!text.includes("<|")) {
    encodeOrdinary(tokenizer, text, ids);
    return ids;
  }
  let prev = 0;
  SPECIAL_TOKEN.lastIndex = 0;
  for (let m = SPECIAL_TOKEN.exec(text); m !== null; m = SPECIAL_TOKEN.exec(text)) {
    if (m.index > prev) encodeOrdinary(tokenizer, text.slice(prev, m.index), ids);
    const id = tokenizer.vocabByString.get(m[0]);
    if (id === undefined) throw new Error(`the Llama 3 vocabulary lacks the special token ${m[0]}`);
    ids.push(id);
    prev = m.index + m[0].length;
  }
  if (prev < text.length) encodeOrdinary(tokenizer, text.slice(prev), ids);
  return ids;
}

/** The number of Llama 3 tokens in `text` (no BOS/EOS): tokenize(text).length. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}

/**
 * The text of Llama 3 token ids (special tokens as their strings, e.g.
 * `<|eot_id|>`). Ids that end inside a multi-byte UTF-8 character decode to
 * U+FFFD: decode a whole sequence, not token by token, when that matters.
 * Throws RangeError on an id outside the vocabulary.
 */
export function detokenize(ids: ArrayLike<number>): string {
  const tokenizer = llama3();
  const size = tokenizer.vocabById.length;
  const list = new Array<number>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!Number.isInteger(id) || id < 0 || id >= size) {
      throw new RangeError(`token id ${id} at index ${i} is not a Llama 3 token id (0 to ${size - 1})`);
    }
    list[i] = id;
  }
  return tokenizer.decode(list);
}

/**
 * Loads the vocabulary now (~220 ms, ~130 MB) rather than on the first
 * tokenize: a service that tokenizes on its request path calls this at start,
 * so that its first request does not pay for it. Idempotent.
 */
export function preloadTokenizer(): void {
  llama3();
}

/** Appends the ids of `segment`, a text without special tokens, to `ids`. */
function encodeOrdinary(tokenizer: Llama3, segment: string, ids: number[]): void {
  let prev = 0;
  PRETOKEN.lastIndex = 0;
  for (let m = PRETOKEN.exec(segment); m !== null; m = PRETOKEN.exec(segment)) {
    // The pattern covers every character; a gap would still be encoded, as the
    // package does with text between matches.
    if (m.index > prev) appendPiece(tokenizer, segment.slice(prev, m.index), ids);
    appendPiece(tokenizer, m[0], ids);
    prev = m.index + m[0].length;
  }
  if (prev < segment.length) appendPiece(tokenizer, segment.slice(prev), ids);
}

function appendPiece(tokenizer: Llama3, piece: string, ids: number[]): void {
  let known = memo.get(piece);
  if (known === undefined) {
    const encoded = tokenizer.encode(piece, NO_BOS_EOS);
    known = encoded.length === 1 ? (encoded[0] as number) : encoded;
    if (memo.size >= MEMO_MAX_PIECES) memo.clear();
    memo.set(piece, known);
  }
  if (typeof known === "number") ids.push(known);
  else for (const id of known) ids.push(id);
}
