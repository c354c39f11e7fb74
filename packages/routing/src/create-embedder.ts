import type { Embedder, EmbedderSpec } from "./embedder.js";
import { HashedTfidfEmbedder } from "./hashed-tfidf-embedder.js";
import { OpenAiEmbedder } from "./openai-embedder.js";

export interface CreateEmbedderOptions {
  /** Bearer token for an OpenAI-compatible embedder (from the environment; never stored). */
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

/** Rebuilds the embedder an artifact names. */
export function createEmbedder(spec: EmbedderSpec, opts: CreateEmbedderOptions = {}): Embedder {
  if (spec.kind === "hashed-tfidf") return HashedTfidfEmbedder.fromSpec(spec);
  return new OpenAiEmbedder({
    baseUrl: spec.baseUrl,
    model: spec.model,
    dims: spec.dims,
    ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
    ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
  });
}
