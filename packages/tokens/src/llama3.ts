// The Llama 3 / 3.1 BPE tokenizer (128,000 BPE tokens + 256 special tokens),
// from the npm package llama3-tokenizer-js (MIT, belladore.ai): Meta's
// vocabulary and merges baked into one 3 MB JavaScript file.
//
// Loaded lazily, once. Building the tokenizer decodes that data (~220 ms, ~130
// MB of resident memory), and most processes that import @weir/tokens never
// tokenize (the scheduler and the kv-index only hash or match blocks). The
// package's ESM entry builds its tokenizer as soon as it is imported and a
// dynamic import() is asynchronous, while tokenize() must stay synchronous; so
// the package's CommonJS bundle (the same code and data) is require()d on
// first use.
//
// Also here: the two regular expressions of Llama 3's pre-tokenization, copied
// from the package (which takes them from Meta's tiktoken model), for the
// encoder in tokenize.ts.

import { createRequire } from "node:module";
import type { Llama3Tokenizer } from "llama3-tokenizer-js";

const BUNDLE = "llama3-tokenizer-js/bundle/commonjs-llama3-tokenizer-with-baked-data.cjs";

let tokenizer: Llama3Tokenizer | undefined;

/** The package's tokenizer, loaded on the first call. */
export function llama3(): Llama3Tokenizer {
  if (tokenizer === undefined) {
    const require = createRequire(import.meta.url);
    const bundle = require(BUNDLE) as { llama3Tokenizer?: Llama3Tokenizer };
    if (bundle.llama3Tokenizer === undefined) {
      throw new Error(`${BUNDLE} exports no llama3Tokenizer: llama3-tokenizer-js is not the expected version 1.2.x`);
    }
    tokenizer = bundle.llama3Tokenizer;
  }
  return tokenizer;
}

/** Whether the vocabulary is loaded (for tests of the lazy loading). */
export function isLlama3Loaded(): boolean {
  return tokenizer !== undefined;
}

/**
 * Special tokens that are recognised inside text, as in the package (and as
 * Hugging Face tokenizers do by default): `<|eot_id|>` in a prompt is one
 * token, 128009. The pieces between them are ordinary text.
 */
export const SPECIAL_TOKEN =
  /<\|(?:begin_of_text|end_of_text|start_header_id|end_header_id|eot_id|eom_id|python_tag|finetune_right_pad_id|reserved_special_token_(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-3][0-9]|24[0-7]))\|>/g;

/**
 * Llama 3's pre-tokenizer: BPE merges never cross the boundaries of these
 * pieces, so a piece's ids do not depend on the text around it. The tiktoken
 * pattern `(?i:'s|'t|'re|'ve|'m|'ll|'d)|…`, with the case-insensitive group
 * spelled out for JavaScript.
 */
export const PRETOKEN =
  /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
