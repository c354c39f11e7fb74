// PLACEHOLDER text: what the placeholder engine "generates". Deterministic, so
// tests, demos and benchmarks are reproducible: the same prompt always gives
// the same words and the same natural length. It means nothing.

/**
 * Short English words, each exactly one Llama 3 token with its leading space
 * (" model", " gpu", …; checked by the tests through @weir/tokens): the text's
 * token count then equals the completion_tokens the engine reports.
 */
const VOCABULARY = [
  "the", "a", "model", "answer", "cache", "token", "tier", "fast", "small", "large",
  "prefix", "block", "route", "plan", "judge", "score", "cheap", "strong", "cost", "budget",
  "query", "reply", "stream", "batch", "queue", "worker", "node", "gpu", "memory", "reuse",
  "and", "of", "to", "in", "is", "for", "with", "on", "that", "this",
  "weir", "water", "river", "flow", "level", "gate", "stone", "bank", "ladder", "step",
] as const;

/** FNV-1a (32-bit) of the prompt's UTF-16 code units: the seed of everything below. */
export function promptSeed(prompt: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < prompt.length; i++) {
    h ^= prompt.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The natural output length for a seed, uniformly in [min, max]. */
export function placeholderOutputLength(seed: number, range: { min: number; max: number }): number {
  return range.min + (seed % (range.max - range.min + 1));
}

/**
 * A stream of words, each with a leading space, drawn from VOCABULARY by a
 * PRNG seeded with `seed` (mulberry32). A shorter generation of the same
 * prompt is a prefix of a longer one.
 */
export function placeholderWords(seed: number): () => string {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = (t ^ (t >>> 14)) >>> 0;
    return ` ${VOCABULARY[r % VOCABULARY.length] as string}`;
  };
}
