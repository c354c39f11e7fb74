import type { GenerateTokensRequest } from "@weir/proto";
import { blockHashes, flattenMessages, tokenize } from "@weir/tokens";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import type { Engine, EngineChunk, EngineLoad, FinishReason, KvEventInit } from "./engine.js";
import { PlaceholderPrefixCache } from "./placeholder-prefix-cache.js";
import { placeholderOutputLength, placeholderWords, promptSeed } from "./placeholder-text.js";
import { type Sleep, abortableSleep } from "./sleep.js";

export interface PlaceholderEngineOptions {
  /** The tier this instance serves; written into its KV events. */
  tier: string;
  /** Fixed time per output token, in ms. 0: no timers at all (overhead benchmarks). */
  tokenDelayMs: number;
  /** Generations running at once; the rest queue, first in first out. */
  maxConcurrency: number;
  /** Output cap when a request's max_tokens is 0. Default 256. */
  defaultMaxTokens?: number | undefined;
  /** Tokens per KV block for prefix hashing. Default 16. */
  blockSize?: number | undefined;
  /** Range of the natural output length (chosen from a hash of the prompt). Default 24..96. */
  outputTokens?: { min: number; max: number } | undefined;
  /** Nominal KV capacity in blocks: prefix-cache size and kvUsage denominator. Default 4096. */
  kvCapacityBlocks?: number | undefined;
  /** Written into KV events when given; otherwise the publisher fills it in. */
  instanceId?: string | undefined;
  /** Clock for KV event timestamps (ms since the epoch). Default Date.now. */
  now?: (() => number) | undefined;
  /** Monotonic clock (ms) that tokens fall due on. Injectable for tests, with `sleep`. Default performance.now. */
  clock?: (() => number) | undefined;
  /** Injectable for tests. Default: a timer cleared on abort. */
  sleep?: Sleep | undefined;
}

export const PlaceholderEngineDefaults = {
  defaultMaxTokens: 256,
  blockSize: 16,
  outputTokens: { min: 24, max: 96 },
  kvCapacityBlocks: 4096,
} as const;

/** Tokens held by one running generation, for the kvUsage figure. */
interface Running {
  tokens: number;
}

/**
 * PLACEHOLDER engine: a fixed per-token delay and deterministic, meaningless
 * text (see placeholder-text.ts). It exists so that the whole cascade runs end
 * to end, with realistic streaming, queueing, cancellation, usage and KV
 * events, before the engines issue brings the faithful vLLM-style simulated
 * engine. It has no batching, no prefill cost and no memory pressure, and it
 * ignores `stop` and `temperature`.
 *
 * - Prompt: flattenMessages(messages) when there are messages, else `prompt`;
 *   prompt tokens from the Llama 3 tokenizer (@weir/tokens tokenize).
 * - Output length: req.target_output_tokens when set, else a hash of the
 *   prompt within `outputTokens`; capped by max_tokens (finish "length").
 * - Timing: token k of a generation is ready tokenDelayMs × k after the
 *   generation starts, a fixed schedule that runs whether or not anyone
 *   reads (timer lateness does not add up). A chunk carries every ready
 *   token not yet sent, up to max(1, max_tokens_per_message); it sleeps only
 *   when no token is ready, and then until the next one is: a consumer that
 *   keeps up gets one token per chunk, one that fell behind gets the backlog.
 *   With tokenDelayMs 0 every token is ready at once: full chunks, no timers.
 * - Prefix cache: see PlaceholderPrefixCache; changes go to onKvEvent
 *   listeners with a per-instance sequence number starting at 1.
 * - prefill_only (escalation warm-up): takes a slot like any request, caches
 *   the prompt's blocks and ends at once with one chunk: no text, finish
 *   "prefill", completion_tokens 0 and what was cached before.
 */
export class PlaceholderEngine implements Engine {
  readonly name = "placeholder";
  readonly tier: string;
  readonly #tokenDelayMs: number;
  readonly #defaultMaxTokens: number;
  readonly #blockSize: number;
  readonly #outputTokens: { min: number; max: number };
  readonly #instanceId: string | undefined;
  readonly #now: () => number;
  readonly #clock: () => number;
  readonly #sleep: Sleep;
  readonly #limiter: ConcurrencyLimiter;
  readonly #cache: PlaceholderPrefixCache;
  readonly #running = new Set<Running>();
  readonly #kvListeners = new Set<(e: KvEventInit) => void>();
  #kvSequence = 0n;

  constructor(options: PlaceholderEngineOptions) {
    const d = PlaceholderEngineDefaults;
    this.tier = options.tier;
    this.#tokenDelayMs = nonNegative("tokenDelayMs", options.tokenDelayMs);
    this.#limiter = new ConcurrencyLimiter(positiveInteger("maxConcurrency", options.maxConcurrency));
    this.#defaultMaxTokens = positiveInteger("defaultMaxTokens", options.defaultMaxTokens ?? d.defaultMaxTokens);
    this.#blockSize = positiveInteger("blockSize", options.blockSize ?? d.blockSize);
    const range = options.outputTokens ?? d.outputTokens;
    const min = positiveInteger("outputTokens.min", range.min);
    const max = positiveInteger("outputTokens.max", range.max);
    if (max < min) throw new RangeError(`outputTokens.max (${max}) must be at least outputTokens.min (${min})`);
    this.#outputTokens = { min, max };
    this.#cache = new PlaceholderPrefixCache(
      positiveInteger("kvCapacityBlocks", options.kvCapacityBlocks ?? d.kvCapacityBlocks),
    );
    this.#instanceId = options.instanceId;
    this.#now = options.now ?? Date.now;
    this.#clock = options.clock ?? (() => performance.now());
    this.#sleep = options.sleep ?? abortableSleep;
  }

  load(): EngineLoad {
    let blocks = 0;
    for (const r of this.#running) blocks += Math.ceil(r.tokens / this.#blockSize);
    return {
      running: this.#limiter.running,
      waiting: this.#limiter.waiting,
      maxConcurrency: this.#limiter.limit,
      // Placeholder figure: blocks the running generations would hold, over the nominal capacity.
      kvUsage: Math.min(1, blocks / this.#cache.capacityBlocks),
    };
  }

  /**
   * Adds a listener for KV events; returns a function that removes it. Attach
   * before the first generation to see every sequence number. A listener that
   * throws is ignored, so a failing publisher cannot break a generation.
   */
  onKvEvent(fn: (e: KvEventInit) => void): () => void {
    this.#kvListeners.add(fn);
    return () => this.#kvListeners.delete(fn);
  }

  async *generate(req: GenerateTokensRequest, signal: AbortSignal): AsyncGenerator<EngineChunk> {
    signal.throwIfAborted();
    const prompt = req.messages.length > 0 ? flattenMessages(req.messages) : req.prompt;
    const promptIds = tokenize(prompt);
    const seed = promptSeed(prompt);
    const maxTokens = req.maxTokens > 0 ? req.maxTokens : this.#defaultMaxTokens;
    const wanted =
      req.targetOutputTokens > 0 ? req.targetOutputTokens : placeholderOutputLength(seed, this.#outputTokens);
    const total = Math.min(wanted, maxTokens);
    const finishReason: FinishReason = wanted > maxTokens ? "length" : "stop";
    const perMessage = Math.max(1, req.maxTokensPerMessage);

    const release = await this.#limiter.acquire(signal);
    if (req.prefillOnly) {
      // Done before the chunk is handed over: free the slot first, as below.
      let chunk: EngineChunk;
      try {
        signal.throwIfAborted();
        chunk = this.#prefill(promptIds);
      } finally {
        release();
      }
      yield chunk;
      return;
    }
    const running: Running = { tokens: promptIds.length };
    this.#running.add(running);
    // Idempotent. Also run on abort, so the slot is free at once even when the
    // consumer is not pulling the next chunk.
    const finish = (): void => {
      this.#running.delete(running);
      release();
    };
    signal.addEventListener("abort", finish, { once: true });
    try {
      signal.throwIfAborted();
      const cachedBlocks = this.#admitPrompt(promptIds);
      const nextWord = placeholderWords(seed);
      const startedAt = this.#clock();
      let emitted = 0;
      while (emitted < total) {
        // With no delay, no timer at all: the zero-delay engine measures Weir's own overhead.
        // With fill_messages the caller reads nothing before the end: wait for a full message.
        const atLeast = req.fillMessages ? Math.min(emitted + perMessage, total) : emitted + 1;
        const ready = this.#tokenDelayMs > 0 ? await this.#readyTokens(startedAt, atLeast, total, signal) : total;
        signal.throwIfAborted();
        const n = Math.min(perMessage, ready - emitted);
        let text = "";
        for (let i = 0; i < n; i++) text += nextWord();
        emitted += n;
        running.tokens += n;
        if (emitted < total) {
          yield { text, tokenCount: n };
          continue;
        }
        // Done generating: free the slot before handing over the last chunk.
        finish();
        const cachedPromptTokens = cachedBlocks * this.#blockSize;
        yield {
          text,
          tokenCount: n,
          finishReason,
          usage: {
            promptTokens: promptIds.length,
            completionTokens: total,
            totalTokens: promptIds.length + total,
            cachedPromptTokens,
          },
        };
      }
    } finally {
      signal.removeEventListener("abort", finish);
      finish();
    }
  }

  /**
   * How many of a generation's tokens are ready, at least `atLeast`: token k
   * is due tokenDelayMs × k after `startedAt`. Sleeps only when fewer than
   * `atLeast` are due, until the `atLeast`-th is.
   */
  async #readyTokens(startedAt: number, atLeast: number, total: number, signal: AbortSignal): Promise<number> {
    const due = (): number => Math.min(total, Math.floor((this.#clock() - startedAt) / this.#tokenDelayMs));
    const ready = due();
    if (ready >= atLeast) return ready;
    await this.#sleep(startedAt + atLeast * this.#tokenDelayMs - this.#clock(), signal);
    // The timer has fired, so the awaited token is due whatever rounding says.
    return Math.max(atLeast, due());
  }

  /** A prefill-only request's one chunk: the prompt cached, nothing generated (no prefill cost here). */
  #prefill(promptIds: number[]): EngineChunk {
    const cachedPromptTokens = this.#admitPrompt(promptIds) * this.#blockSize;
    return {
      text: "",
      tokenCount: 0,
      finishReason: "prefill",
      usage: { promptTokens: promptIds.length, completionTokens: 0, totalTokens: promptIds.length, cachedPromptTokens },
    };
  }

  /** Looks the prompt up in the prefix cache and caches it; returns its leading cached blocks. */
  #admitPrompt(promptIds: number[]): number {
    const admission = this.#cache.admit(blockHashes(promptIds, this.#blockSize));
    if (admission.removed.length > 0) {
      this.#emitKvEvent({ case: "removed", value: { blockHashes: admission.removed } });
    }
    for (const run of admission.stored) {
      this.#emitKvEvent({
        case: "stored",
        value: {
          blockHashes: run.hashes,
          blockSize: this.#blockSize,
          ...(run.parent === undefined ? {} : { parentBlockHash: run.parent }),
        },
      });
    }
    return admission.cachedBlocks;
  }

  #emitKvEvent(event: NonNullable<KvEventInit["event"]>): void {
    this.#kvSequence++;
    const e: KvEventInit = {
      tier: this.tier,
      sequence: this.#kvSequence,
      timestampMs: BigInt(Math.floor(this.#now())),
      event,
      ...(this.#instanceId === undefined ? {} : { instanceId: this.#instanceId }),
    };
    for (const fn of this.#kvListeners) {
      try {
        fn(e);
      } catch {
        // Deliberately ignored: see onKvEvent.
      }
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number ≥ 0, got ${value}`);
  return value;
}
