import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { ConcurrencyLimiter, abortableSleep, type Engine, type EngineChunk, type EngineLoad, type EngineUsage, type FinishReason } from "@weir/engine";
import { WeirError, toWeirError } from "@weir/errors";
import type { GenerateTokensRequest } from "@weir/proto";
import { countTokens } from "@weir/tokens";
import { OpenAiEngineDefaults, type OpenAiEngineOptions } from "./openai-engine-options.js";
import { TimingRecorder, type RequestTimings } from "./request-timings.js";
import { backoffMs, type BackoffPolicy } from "./retry-backoff.js";
import { AttemptError, streamAttempt, type AttemptEnd } from "./stream-attempt.js";
import type { UpstreamUsage } from "./stream-event.js";
import { upstreamRequest, type UpstreamRequest } from "./upstream-request.js";

/**
 * A model served by any OpenAI-compatible server (vLLM, SGLang, llama.cpp
 * server, Ollama), driven as a Weir Engine.
 *
 * Every generation is one streaming request (SSE, with
 * stream_options.include_usage): chat/completions when the request has
 * messages, completions otherwise. Text is handed on as it arrives, one SSE
 * event counted as one token: a chunk carries every event received and not
 * handed on yet, up to max_tokens_per_message, and never waits for more.
 * The server's usage is passed through, and whatever it leaves out is
 * counted with @weir/tokens.
 *
 * Failures before the first token are retried (connection refused or
 * broken, 408, 429, 5xx) up to `retries` times with jittered backoff, within
 * the first-token budget; once a token has been handed on, never, because a
 * second answer would not continue the first. Every failure is a WeirError
 * with a sentence naming the server (see upstream-failure.ts). Aborting the
 * signal closes the connection, which makes the server stop generating.
 *
 * load() reports the local concurrency limit: the server's own queue and KV
 * cache are out of sight, so kvUsage is always 0.
 *
 * prefill_only (escalation warm-up): one max_tokens 1 request (see
 * upstream-request.ts) whose text is discarded; the generation ends with one
 * chunk, finish "prefill", completion_tokens 0 and the server's cached
 * prompt tokens. Nothing is handed on before the end, so any retryable
 * failure may be retried.
 */
export class OpenAiEngine implements Engine {
  readonly name = "openai";
  readonly baseUrl: URL;
  readonly model: string;
  readonly #headers: Record<string, string>;
  readonly #limiter: ConcurrencyLimiter;
  readonly #agent: HttpAgent;
  readonly #connectTimeoutMs: number;
  readonly #firstTokenTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #retries: number;
  readonly #backoff: BackoffPolicy;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #listeners = new Set<(t: RequestTimings) => void>();

  constructor(options: OpenAiEngineOptions) {
    const d = OpenAiEngineDefaults;
    // A trailing slash makes relative paths land under the base: /v1/ + chat/completions.
    this.baseUrl = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    if (this.baseUrl.protocol !== "http:" && this.baseUrl.protocol !== "https:") {
      throw new RangeError(`baseUrl must be an http or https URL, got ${options.baseUrl}`);
    }
    this.model = options.model;
    this.#headers = {
      "content-type": "application/json",
      accept: "text/event-stream",
      ...(options.apiKey === undefined || options.apiKey === "" ? {} : { authorization: `Bearer ${options.apiKey}` }),
    };
    this.#limiter = new ConcurrencyLimiter(positiveInteger("maxConcurrency", options.maxConcurrency));
    // Kept-alive connections: a worker talks to one server all day.
    this.#agent = this.baseUrl.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.#connectTimeoutMs = positive("connectTimeoutMs", options.connectTimeoutMs ?? d.connectTimeoutMs);
    this.#firstTokenTimeoutMs = positive("firstTokenTimeoutMs", options.firstTokenTimeoutMs ?? d.firstTokenTimeoutMs);
    this.#idleTimeoutMs = positive("idleTimeoutMs", options.idleTimeoutMs ?? d.idleTimeoutMs);
    this.#retries = nonNegativeInteger("retries", options.retries ?? d.retries);
    this.#backoff = {
      baseMs: positive("retryBackoffMs", options.retryBackoffMs ?? d.retryBackoffMs),
      maxMs: positive("maxRetryBackoffMs", options.maxRetryBackoffMs ?? d.maxRetryBackoffMs),
    };
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
  }

  load(): EngineLoad {
    return { running: this.#limiter.running, waiting: this.#limiter.waiting, maxConcurrency: this.#limiter.limit, kvUsage: 0 };
  }

  /**
   * Adds a listener for each finished generation's timings (TTFT, gaps
   * between tokens, attempts, outcome); returns a function that removes it.
   * A listener that throws is ignored.
   */
  onRequestDone(fn: (t: RequestTimings) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Closes the kept-alive connections; generations in flight are cut. */
  close(): void {
    this.#agent.destroy();
  }

  async *generate(req: GenerateTokensRequest, signal: AbortSignal): AsyncGenerator<EngineChunk> {
    signal.throwIfAborted();
    const upstream = upstreamRequest(req, this.model);
    const release = await this.#limiter.acquire(signal);
    // Also on abort, so the slot is free at once even when the consumer is not pulling.
    signal.addEventListener("abort", release, { once: true });
    const timings = new TimingRecorder(this.#now);
    let attempts = 0;
    let reported = false;
    // Frees the slot and reports the timings, once.
    const finish = (outcome: RequestTimings["outcome"], extra: Parameters<TimingRecorder["finish"]>[3] = {}): void => {
      release();
      if (reported) return;
      reported = true;
      this.#emit(timings.finish(upstream.api, attempts, outcome, extra));
    };
    try {
      const deadline = this.#now() + this.#firstTokenTimeoutMs;
      for (;;) {
        attempts++;
        const attempt = streamAttempt({
          baseUrl: this.baseUrl,
          upstream,
          headers: req.requestId === "" ? this.#headers : { ...this.#headers, "x-request-id": req.requestId },
          agent: this.#agent,
          connectTimeoutMs: this.#connectTimeoutMs,
          firstTokenLeftMs: deadline - this.#now(),
          firstTokenTimeoutMs: this.#firstTokenTimeoutMs,
          idleTimeoutMs: this.#idleTimeoutMs,
          signal,
          maxTokensPerMessage: req.maxTokensPerMessage,
          timings,
        });
        let yielded = false;
        try {
          let next = await attempt.next();
          while (next.done !== true) {
            // A warm-up's one token is not an answer: nothing is handed on.
            if (!req.prefillOnly) {
              yielded = true;
              yield { text: next.value.text, tokenCount: next.value.tokens };
            }
            next = await attempt.next();
          }
          const last = req.prefillOnly ? prefilled(upstream, next.value) : this.#lastChunk(upstream, next.value);
          // Done upstream: free the slot before handing over the last chunk.
          finish(last.finishReason, { usage: last.usage });
          yield last;
          return;
        } catch (err) {
          if (signal.aborted || !(err instanceof AttemptError)) throw err;
          const { failure } = err;
          const wait = backoffMs(this.#backoff, attempts, failure.retryAfterMs, this.#random);
          // Retry only what cost the client nothing, while the first-token budget lasts.
          if (yielded || !failure.retryable || attempts > this.#retries || this.#now() + wait >= deadline) {
            throw attempts > 1 ? afterAttempts(failure.error, attempts) : failure.error;
          }
          await abortableSleep(wait, signal);
        } finally {
          await attempt.return(undefined as never).catch(() => undefined);
        }
      }
    } catch (err) {
      if (signal.aborted) finish("cancelled");
      else finish("error", { errorCode: toWeirError(err).code });
      throw err;
    } finally {
      signal.removeEventListener("abort", release);
      // A consumer that stopped reading early cancelled the generation.
      finish("cancelled");
    }
  }

  /**
   * The chunk that ends a generation: the finish reason and the usage, and
   * the tokens the server counted beyond the SSE events we saw (vLLM may
   * send several tokens in one event), so token counts add up to the usage.
   */
  #lastChunk(upstream: UpstreamRequest, end: AttemptEnd): EngineChunk & { finishReason: FinishReason; usage: EngineUsage } {
    const usage = fullUsage(end.usage, upstream.promptText, end.text);
    return {
      text: "",
      tokenCount: Math.max(0, usage.completionTokens - end.tokens),
      finishReason: end.finishReason === "length" ? "length" : "stop",
      usage,
    };
  }

  #emit(t: RequestTimings): void {
    for (const fn of this.#listeners) {
      try {
        fn(t);
      } catch {
        // Deliberately ignored: see onRequestDone.
      }
    }
  }
}

/** The one chunk of a prefill-only generation: no text, and no completion tokens to report. */
function prefilled(upstream: UpstreamRequest, end: AttemptEnd): EngineChunk & { finishReason: FinishReason; usage: EngineUsage } {
  const { promptTokens, cachedPromptTokens } = fullUsage(end.usage, upstream.promptText, "");
  return {
    text: "",
    tokenCount: 0,
    finishReason: "prefill",
    usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens, cachedPromptTokens },
  };
}

/** The same failure, saying how many attempts it took to give up. */
function afterAttempts(err: WeirError, attempts: number): WeirError {
  return new WeirError(err.code, `${err.message} (after ${attempts} attempts)`, {
    cause: err.cause,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
  });
}

/** The server's usage, with whatever it left out counted here. */
function fullUsage(u: UpstreamUsage | undefined, promptText: string, completionText: string): EngineUsage {
  const promptTokens = u?.promptTokens ?? countTokens(promptText);
  const completionTokens = u?.completionTokens ?? countTokens(completionText);
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cachedPromptTokens: Math.min(u?.cachedPromptTokens ?? 0, promptTokens),
  };
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
