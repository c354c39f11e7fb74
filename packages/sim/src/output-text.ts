// What a simulated generation says. Time is simulated; text is either real
// (an OutputSource, e.g. recorded answers of the real model replayed from a
// dataset) or deterministic filler whose length follows a configured
// distribution. Either way it is tokenized, so token counts are real.

import type { GenerateTokensRequest } from "@weir/proto";
import { Random, stringSeed } from "./random.js";
import { type TextTokenizer, type TokenizedText, concatTokens, firstTokens, tokenizeText } from "./tokenized-text.js";

/** The answer to a prompt, or undefined to let the engine make one up. */
export type OutputSource = (prompt: string, req: GenerateTokensRequest) => string | undefined;

/** Natural output length of made-up answers: lognormal with this mean, capped at max. */
export interface OutputLengthDistribution {
  mean: number;
  max: number;
  /** Log-space sigma. Default 0.8 (chat answers vary widely in length). */
  sigma?: number | undefined;
}

export const DEFAULT_OUTPUT_LENGTHS: OutputLengthDistribution = { mean: 256, max: 2048 };

export interface ResolvedOutput {
  tokens: TokenizedText;
  finishReason: "stop" | "length";
}

export interface OutputOptions {
  source: OutputSource | undefined;
  lengths: OutputLengthDistribution;
  tokenizer: TextTokenizer;
  /** Most output tokens the request may have (context left after the prompt). */
  maxOutputTokens: number;
}

/**
 * The output of a request:
 *  - the source's text if it has one, else filler of a length drawn (seeded
 *    by the prompt) from `lengths`;
 *  - with target_output_tokens (trace replay), exactly that many tokens:
 *    the text is cut, or extended with filler;
 *  - then capped at max_tokens (or the context left): finish "length".
 * At least one token always comes out (an empty answer is one empty token, the EOS).
 */
export function resolveOutput(prompt: string, req: GenerateTokensRequest, options: OutputOptions): ResolvedOutput {
  const seed = stringSeed(prompt);
  const text = options.source?.(prompt, req);
  let tokens: TokenizedText;
  if (req.targetOutputTokens > 0) {
    const base = text === undefined ? undefined : tokenizeText(text, options.tokenizer);
    tokens = exactly(req.targetOutputTokens, base, seed, options.tokenizer);
  } else if (text !== undefined) {
    tokens = tokenizeText(text, options.tokenizer);
  } else {
    tokens = fillerTokens(naturalLength(seed, options.lengths), seed, options.tokenizer);
  }
  if (tokens.ids.length === 0) tokens = { ids: [0], pieces: [""] };
  const cap = req.maxTokens > 0 ? Math.min(req.maxTokens, options.maxOutputTokens) : options.maxOutputTokens;
  if (tokens.ids.length > cap) return { tokens: firstTokens(tokens, Math.max(1, cap)), finishReason: "length" };
  return { tokens, finishReason: "stop" };
}

function naturalLength(seed: number, d: OutputLengthDistribution): number {
  const n = Math.round(new Random(seed).lognormal(d.mean, d.sigma ?? 0.8));
  return Math.min(Math.max(1, n), Math.max(1, d.max));
}

function exactly(n: number, base: TokenizedText | undefined, seed: number, tokenizer: TextTokenizer): TokenizedText {
  if (base === undefined) return fillerTokens(n, seed, tokenizer);
  if (base.ids.length >= n) return firstTokens(base, n);
  return concatTokens(base, fillerTokens(n - base.ids.length, seed, tokenizer));
}

/**
 * Short common English words: each one token with its leading space in
 * Llama 3's vocabulary (and most BPE vocabularies), so that n words are about
 * n tokens before the exact cut.
 */
const WORDS = [
  "the", "a", "model", "answer", "cache", "token", "fast", "small", "large", "time",
  "block", "route", "plan", "score", "cost", "query", "reply", "stream", "batch", "queue",
  "memory", "and", "of", "to", "in", "is", "for", "with", "on", "that",
  "this", "water", "river", "flow", "level", "gate", "stone", "bank", "step", "light",
] as const;

/** Deterministic filler of exactly n tokens (n ≥ 1), seeded; a shorter one is a prefix of a longer one. */
export function fillerTokens(n: number, seed: number, tokenizer: TextTokenizer): TokenizedText {
  const random = new Random(seed ^ 0x7e57);
  let text = "";
  let missing = n;
  for (;;) {
    // About one token per word: add as many words as tokens are missing, then count.
    for (let i = 0; i < missing; i++) text += ` ${WORDS[random.nextUint32() % WORDS.length] as string}`;
    const tokens = tokenizeText(text, tokenizer);
    if (tokens.ids.length >= n) return firstTokens(tokens, n);
    missing = n - tokens.ids.length;
  }
}
