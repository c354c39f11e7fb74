/**
 * L0 turn delta: is a new question a repeat of one already answered in this
 * conversation? Reuse answers without generating, so a false match gives a
 * user the answer to a different question: the test is near-identity, not
 * similarity. Both questions are normalised (case, punctuation, whitespace,
 * contractions split so "don't" keeps its "n't") and reduced to their
 * content words, dropping only a short list of politeness and repetition
 * filler ("please", "again", "the", …; not question words, which change
 * what is asked). Reuse needs the two content-word sequences to be
 * identical: any difference in a number, a negation or any other content
 * word, or in their order, blocks it. Numbers and negations are never filler.
 */

/** Words whose presence or absence does not change what is asked. Negations and numbers must never be added here. */
const FILLER = new Set([
  "a", "an", "the", "please", "again", "kindly", "just", "um", "uh", "ok", "okay", "hey", "hi", "hello", "thanks", "sorry",
]);

/** Never filler, whatever a deployment adds to FILLER: these change meaning. */
const NEGATIONS = new Set(["not", "no", "never", "n't", "none", "nothing", "nobody", "neither", "nor", "without", "cannot"]);

/** Lower case, contractions split ("don't" → "do n't"), punctuation dropped except inside numbers (3.5, 1,000, -2). */
export function normaliseQuestion(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/(\w)n't\b/g, "$1 n't")
    .replace(/can't\b/g, "can n't")
    .split(/\s+/)
    .flatMap((word) => word.match(/n't|-?\d+(?:[.,]\d+)*|[\p{L}\p{N}]+/gu) ?? []);
}

/** The words that carry the question: everything but filler (numbers and negations always stay). */
export function contentWords(tokens: readonly string[]): string[] {
  return tokens.filter((t) => NEGATIONS.has(t) || /\d/.test(t) || !FILLER.has(t));
}

export interface RepeatMatch {
  /** 1 when the normalised token sequences are identical; less when only filler differs. */
  readonly similarity: number;
}

/**
 * Whether `question` asks exactly what `earlier` asked. Undefined when any
 * content word, number or negation differs, or when either has no content
 * words (a bare "again?" or "why?" refers to context, not a question).
 */
export function matchRepeat(question: string, earlier: string): RepeatMatch | undefined {
  const a = normaliseQuestion(question);
  const b = normaliseQuestion(earlier);
  const ca = contentWords(a);
  const cb = contentWords(b);
  if (ca.length === 0 || ca.length !== cb.length || ca.some((w, i) => w !== cb[i])) return undefined;
  return { similarity: tokenSimilarity(a, b) };
}

/** Dice coefficient over the token multisets: for reporting how much filler differed. */
function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of b) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(t, n - 1);
    }
  }
  return a.length + b.length === 0 ? 1 : (2 * shared) / (a.length + b.length);
}
