// Text with its token ids and the text of each token, so that a stream can
// hand out exactly one token's text at a time and the pieces always join back
// to the whole text.

import { detokenize, tokenize } from "@weir/tokens";

/** Text ⇄ token ids. Default: Llama 3 BPE from @weir/tokens. */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

export const llama3Tokenizer: TextTokenizer = {
  encode: (text) => tokenize(text),
  decode: (ids) => detokenize(ids),
};

export interface TokenizedText {
  readonly ids: readonly number[];
  /** The text of each token; pieces.join("") is the text. */
  readonly pieces: readonly string[];
}

const REPLACEMENT = "\uFFFD";

/**
 * Tokenizes `text` and finds each token's piece. A character split over
 * several tokens (multi-byte UTF-8) comes out whole with its last token, the
 * tokens before it carry "". Should the tokenizer not round-trip the text,
 * the text is cut into equal slices instead, one per token.
 */
export function tokenizeText(text: string, tokenizer: TextTokenizer): TokenizedText {
  const ids = tokenizer.encode(text);
  return { ids, pieces: piecesOf(text, ids, tokenizer) };
}

/** The first `n` tokens. */
export function firstTokens(t: TokenizedText, n: number): TokenizedText {
  if (n >= t.ids.length) return t;
  return { ids: t.ids.slice(0, n), pieces: t.pieces.slice(0, n) };
}

/** Both, one after the other. */
export function concatTokens(a: TokenizedText, b: TokenizedText): TokenizedText {
  return { ids: [...a.ids, ...b.ids], pieces: [...a.pieces, ...b.pieces] };
}

function piecesOf(text: string, ids: readonly number[], tokenizer: TextTokenizer): string[] {
  const pieces: string[] = [];
  let at = 0;
  let groupStart = -1;
  for (let i = 0; i < ids.length; i++) {
    if (groupStart < 0) {
      const single = tokenizer.decode([ids[i] as number]);
      if (!single.includes(REPLACEMENT) && text.startsWith(single, at)) {
        pieces.push(single);
        at += single.length;
        continue;
      }
      groupStart = i;
    }
    const group = tokenizer.decode(ids.slice(groupStart, i + 1));
    if (!group.endsWith(REPLACEMENT) && text.startsWith(group, at)) {
      pieces.push(group);
      at += group.length;
      groupStart = -1;
    } else {
      pieces.push("");
    }
  }
  if (groupStart >= 0 || at !== text.length) return equalSlices(text, ids.length);
  return pieces;
}

function equalSlices(text: string, n: number): string[] {
  const chars = Array.from(text); // code points: never split a surrogate pair
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    pieces.push(chars.slice(Math.floor((i * chars.length) / n), Math.floor(((i + 1) * chars.length) / n)).join(""));
  }
  return pieces;
}
