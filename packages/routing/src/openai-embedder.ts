import type { Embedder } from "./embedder.js";
import { l2normalize } from "./vector.js";

/** An embedder behind any OpenAI-compatible `/v1/embeddings` endpoint (vLLM, TEI, Ollama, OpenAI). */
export interface OpenAiEmbedderSpec {
  readonly kind: "openai";
  /** Base URL including the version path, e.g. http://127.0.0.1:8000/v1. */
  readonly baseUrl: string;
  readonly model: string;
  /** Vector length the model returned at training time (checked on every answer). */
  readonly dims: number;
}

export interface OpenAiEmbedderOptions {
  readonly baseUrl: string;
  readonly model: string;
  /** Known dimensions; learned from the first answer when absent. */
  readonly dims?: number;
  /** Sent as a bearer token; never written into an artifact. */
  readonly apiKey?: string;
  /** Texts per request (default 64). */
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
}

export class OpenAiEmbedder implements Embedder {
  readonly #opts: OpenAiEmbedderOptions;
  #dims: number | undefined;

  constructor(opts: OpenAiEmbedderOptions) {
    this.#opts = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, "") };
    this.#dims = opts.dims;
  }

  get dims(): number {
    return this.#dims ?? 0;
  }

  get spec(): OpenAiEmbedderSpec {
    return { kind: "openai", baseUrl: this.#opts.baseUrl, model: this.#opts.model, dims: this.dims };
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const size = this.#opts.batchSize ?? 64;
    for (let i = 0; i < texts.length; i += size) out.push(...(await this.#batch(texts.slice(i, i + size))));
    return out;
  }

  async #batch(input: readonly string[]): Promise<Float32Array[]> {
    const url = `${this.#opts.baseUrl}/embeddings`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.#opts.apiKey !== undefined) headers.authorization = `Bearer ${this.#opts.apiKey}`;
    const doFetch = this.#opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: this.#opts.model, input }),
        signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new Error(`the embeddings endpoint ${url} did not answer (${err instanceof Error ? err.message : String(err)}): check baseUrl and that the server runs`);
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => "")).slice(0, 200);
      throw new Error(`the embeddings endpoint ${url} answered HTTP ${res.status}${body ? `: ${body}` : ""}`);
    }
    const json = (await res.json()) as EmbeddingsResponse;
    const data = json.data ?? [];
    if (data.length !== input.length) {
      throw new Error(`the embeddings endpoint ${url} returned ${data.length} vectors for ${input.length} texts`);
    }
    const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map((d) => {
      const e = d.embedding;
      if (!Array.isArray(e) || e.some((x) => typeof x !== "number")) {
        throw new Error(`the embeddings endpoint ${url} returned an embedding that is not a list of numbers`);
      }
      this.#dims ??= e.length;
      if (e.length !== this.#dims) {
        throw new Error(`the embeddings endpoint ${url} returned ${e.length} dimensions, expected ${this.#dims} (model ${this.#opts.model})`);
      }
      return l2normalize(Float32Array.from(e as number[]));
    });
  }
}
