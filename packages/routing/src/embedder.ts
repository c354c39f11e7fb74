import type { HashedTfidfSpec } from "./hashed-tfidf-embedder.js";
import type { OpenAiEmbedderSpec } from "./openai-embedder.js";

/** What an artifact records about the embedder it was trained with (enough to rebuild it). */
export type EmbedderSpec = HashedTfidfSpec | OpenAiEmbedderSpec;

/**
 * Turns texts into unit-length vectors. Clusters are only meaningful under the
 * embedder they were trained with, so router and judge rebuild it from the
 * artifact's spec rather than from their own configuration.
 */
export interface Embedder {
  readonly spec: EmbedderSpec;
  readonly dims: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Present when embedding needs no I/O: the request path then stays synchronous. */
  embedSync?(text: string): Float32Array;
}
