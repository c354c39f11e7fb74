import type { Embedder } from "./embedder.js";
import { fnv1a, mix32 } from "./hash.js";
import { l2normalize } from "./vector.js";

/**
 * Settings of the built-in embedder: hashed word and character n-gram TF-IDF,
 * projected to `dims` by a fixed sparse random projection. No model download,
 * a few microseconds per request, and good enough to separate topics and task
 * types (a GSM8K word problem from an MMLU anatomy question), which is what
 * clustering for routing needs.
 */
export interface HashedTfidfSettings {
  /** Output dimensions. */
  readonly dims: number;
  /** log2 of the number of hash buckets that carry an IDF weight. */
  readonly bucketBits: number;
  /** Seeds the n-gram hashes and the projection. */
  readonly seed: number;
  /** Signed non-zeros per bucket in the sparse random projection (Achlioptas-style). */
  readonly nonZeros: number;
  /** Word n-grams from 1 to this (1 = unigrams, 2 = plus bigrams). */
  readonly wordNgrams: number;
  /** Character n-gram lengths inside each word (padded with < and >), inclusive range. */
  readonly charNgrams: readonly [number, number];
  /** Weight of a character n-gram relative to a word n-gram (they are many more). */
  readonly charWeight: number;
}

export interface HashedTfidfSpec extends HashedTfidfSettings {
  readonly kind: "hashed-tfidf";
  /** Documents the IDF was fitted on. */
  readonly documents: number;
  /** IDF per bucket, quantised to uint8 (value × 16), base64. Training uses the quantised values too. */
  readonly idf: string;
}

export const DEFAULT_HASHED_TFIDF: HashedTfidfSettings = {
  dims: 256,
  bucketBits: 14,
  seed: 0x5eed,
  nonZeros: 4,
  wordNgrams: 2,
  charNgrams: [3, 4],
  charWeight: 0.5,
};

const IDF_SCALE = 16;
const MAX_WORD_FOR_CHARS = 24;
// Distinct seeds per n-gram family, so that "ab" the word and "ab" the char gram differ.
const WORD_SEED = 0x811c9dc5;
const CHAR_SEED = 0x01234567;
const NUM_TOKEN = 0x6e756d; // every all-digit word is one token: numbers say little about the topic

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0xc0;
}

/**
 * Calls `visit(hash, weight)` for every n-gram of `text`. The one tokenizer of
 * the embedder, shared by fitting and embedding so they cannot disagree.
 */
function forEachGram(s: HashedTfidfSettings, text: string, visit: (hash: number, weight: number) => void): void {
  const t = text.toLowerCase();
  const [cmin, cmax] = s.charNgrams;
  let prev = 0;
  let hasPrev = false;
  let i = 0;
  const n = t.length;
  while (i < n) {
    while (i < n && !isWordChar(t.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let digits = true;
    while (i < n && isWordChar(t.charCodeAt(i))) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) digits = false;
      i++;
    }
    const end = i;
    const wordHash = digits ? mix32(s.seed, NUM_TOKEN) : fnv1a(t, start, end, WORD_SEED ^ s.seed);
    visit(wordHash, 1);
    if (s.wordNgrams >= 2 && hasPrev) visit(mix32(prev, wordHash), 1);
    prev = wordHash;
    hasPrev = true;
    const len = end - start;
    if (digits || len > MAX_WORD_FOR_CHARS) continue;
    // Character n-grams of "<word>": positions -1 and len are the padding.
    for (let g = cmin; g <= cmax; g++) {
      for (let p = -1; p + g <= len + 1; p++) {
        let h = CHAR_SEED ^ s.seed;
        for (let q = p; q < p + g; q++) {
          const c = q < 0 ? 60 : q >= len ? 62 : t.charCodeAt(start + q);
          h ^= c;
          h = Math.imul(h, 0x01000193);
        }
        visit(h >>> 0, s.charWeight);
      }
    }
  }
}

/** The built-in embedder. Build it with `fit` (training) or `fromSpec` (serving). */
export class HashedTfidfEmbedder implements Embedder {
  readonly spec: HashedTfidfSpec;
  readonly dims: number;
  readonly #idf: Float32Array;
  readonly #mask: number;
  /** Per bucket, `nonZeros` entries of (dim << 1 | negative). */
  readonly #proj: Int32Array;
  // Scratch space reused across calls: embedding is synchronous, so no two calls interleave.
  readonly #tf: Float32Array;
  readonly #touched: Int32Array;
  #touchedCount = 0;

  private constructor(spec: HashedTfidfSpec, idf: Float32Array) {
    this.spec = spec;
    this.dims = spec.dims;
    this.#idf = idf;
    const buckets = 1 << spec.bucketBits;
    this.#mask = buckets - 1;
    this.#proj = new Int32Array(buckets * spec.nonZeros);
    for (let b = 0; b < buckets; b++) {
      for (let j = 0; j < spec.nonZeros; j++) {
        const h = mix32(mix32(spec.seed, b), j + 1);
        this.#proj[b * spec.nonZeros + j] = ((h % spec.dims) << 1) | (h >>> 31);
      }
    }
    this.#tf = new Float32Array(buckets);
    this.#touched = new Int32Array(buckets);
  }

  /** Fits the IDF weights on `texts` (the training prompts). */
  static fit(texts: readonly string[], settings: HashedTfidfSettings = DEFAULT_HASHED_TFIDF): HashedTfidfEmbedder {
    validateSettings(settings);
    const buckets = 1 << settings.bucketBits;
    const mask = buckets - 1;
    const df = new Uint32Array(buckets);
    const lastDoc = new Int32Array(buckets).fill(-1);
    texts.forEach((text, d) => {
      forEachGram(settings, text, (h) => {
        const b = h & mask;
        if (lastDoc[b] !== d) {
          lastDoc[b] = d;
          df[b]! += 1;
        }
      });
    });
    const q = new Uint8Array(buckets);
    const n = texts.length;
    for (let b = 0; b < buckets; b++) {
      const idf = Math.log((1 + n) / (1 + df[b]!)) + 1;
      q[b] = Math.min(255, Math.max(1, Math.round(idf * IDF_SCALE)));
    }
    const spec: HashedTfidfSpec = {
      kind: "hashed-tfidf",
      ...settings,
      charNgrams: [settings.charNgrams[0], settings.charNgrams[1]],
      documents: n,
      idf: Buffer.from(q).toString("base64"),
    };
    return HashedTfidfEmbedder.fromSpec(spec);
  }

  /** Rebuilds the embedder an artifact was trained with. Throws a sentence when the spec is inconsistent. */
  static fromSpec(spec: HashedTfidfSpec): HashedTfidfEmbedder {
    validateSettings(spec);
    const bytes = Buffer.from(spec.idf, "base64");
    const buckets = 1 << spec.bucketBits;
    if (bytes.length !== buckets) {
      throw new Error(`the embedder's idf table has ${bytes.length} entries but bucketBits ${spec.bucketBits} needs ${buckets}`);
    }
    const idf = new Float32Array(buckets);
    for (let b = 0; b < buckets; b++) idf[b] = bytes[b]! / IDF_SCALE;
    return new HashedTfidfEmbedder(spec, idf);
  }

  embedSync(text: string): Float32Array {
    const tf = this.#tf;
    const touched = this.#touched;
    const mask = this.#mask;
    this.#touchedCount = 0;
    forEachGram(this.spec, text, (h, w) => {
      const b = h & mask;
      if (tf[b] === 0) touched[this.#touchedCount++] = b;
      tf[b]! += w;
    });
    const out = new Float32Array(this.dims);
    const nz = this.spec.nonZeros;
    const proj = this.#proj;
    for (let i = 0; i < this.#touchedCount; i++) {
      const b = touched[i]!;
      // Sublinear term frequency: a word repeated ten times is not ten times the topic.
      const w = Math.sqrt(tf[b]!) * this.#idf[b]!;
      tf[b] = 0;
      const base = b * nz;
      for (let j = 0; j < nz; j++) {
        const e = proj[base + j]!;
        out[e >> 1]! += e & 1 ? -w : w;
      }
    }
    return l2normalize(out);
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedSync(t)));
  }
}

function validateSettings(s: HashedTfidfSettings): void {
  const problems: string[] = [];
  if (!Number.isInteger(s.dims) || s.dims < 2 || s.dims > 4096) problems.push(`dims ${s.dims} is not a whole number from 2 to 4096`);
  if (!Number.isInteger(s.bucketBits) || s.bucketBits < 4 || s.bucketBits > 22) problems.push(`bucketBits ${s.bucketBits} is not a whole number from 4 to 22`);
  if (!Number.isInteger(s.nonZeros) || s.nonZeros < 1 || s.nonZeros > 32) problems.push(`nonZeros ${s.nonZeros} is not a whole number from 1 to 32`);
  if (!Number.isInteger(s.wordNgrams) || s.wordNgrams < 1 || s.wordNgrams > 2) problems.push(`wordNgrams ${s.wordNgrams} is not 1 or 2`);
  const [a, b] = s.charNgrams;
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 1 && b >= a && b <= 8)) problems.push(`charNgrams [${a}, ${b}] is not a range within 1..8`);
  if (!(Number.isFinite(s.charWeight) && s.charWeight >= 0)) problems.push(`charWeight ${s.charWeight} is not a number ≥ 0`);
  if (!Number.isInteger(s.seed)) problems.push(`seed ${s.seed} is not a whole number`);
  if (problems.length > 0) throw new Error(`hashed-tfidf embedder settings are invalid: ${problems.join("; ")}`);
}
