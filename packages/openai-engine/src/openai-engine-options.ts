export interface OpenAiEngineOptions {
  /** The server's OpenAI API base URL, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  /** The model name the server knows (sent as `model`). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string | undefined;
  /** Generations sent upstream at once; the rest wait here, first in first out. */
  maxConcurrency: number;
  /** The connection must be up within this many ms. Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** The first token must arrive within this many ms of the first attempt, retries included. Default 60000. */
  firstTokenTimeoutMs?: number | undefined;
  /** After the first token, the server may be silent at most this many ms. Default 30000. */
  idleTimeoutMs?: number | undefined;
  /** Attempts after the first, before the first token only. Default 2. */
  retries?: number | undefined;
  /** Delay before the first retry, in ms, doubling after (with jitter). Default 100. */
  retryBackoffMs?: number | undefined;
  /** Longest delay between attempts, in ms. Default 2000. */
  maxRetryBackoffMs?: number | undefined;
  /** Monotonic clock in ms (for timings). Default performance.now. */
  now?: (() => number) | undefined;
  /** For the retry jitter. Default Math.random. */
  random?: (() => number) | undefined;
}

export const OpenAiEngineDefaults = {
  connectTimeoutMs: 5_000,
  firstTokenTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  retries: 2,
  retryBackoffMs: 100,
  maxRetryBackoffMs: 2_000,
} as const;
