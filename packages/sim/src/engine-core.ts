// One simulated engine instance, independent of how time passes: the caller
// asks for a step at a time t (startStep returns how long it takes) and
// reports when it is over (finishStep), in virtual time (VirtualCluster) or
// in real time (RealTimeDriver). Tokens appear at the end of the step that
// computes them, as in vLLM.

import type { EngineLoad, KvEventInit } from "@weir/engine";
import { BlockPool } from "./block-pool.js";
import { Histogram } from "./histogram.js";
import type { InstanceConfig } from "./instance-config.js";
import { KvEventEmitter } from "./kv-events.js";
import { KvPrecisionTracker } from "./kv-precision-tracker.js";
import {
  ITL_BUCKETS_S,
  REQUEST_LATENCY_BUCKETS_S,
  type SimMetricsSnapshot,
  TTFT_BUCKETS_S,
} from "./metrics.js";
import { Random, mixSeed } from "./random.js";
import type { StepShape } from "./roofline.js";
import { Scheduler } from "./scheduler.js";
import { SimRequest, type SimRequestSpec } from "./sim-request.js";

/** Told about every token and every finished request, at the simulated time it happens. */
export interface EngineCoreListener {
  /** A new output token of `req` (req.generated is its 1-based index). */
  onToken(req: SimRequest, nowMs: number): void;
  /** `req` produced its last token and left the engine. */
  onFinish(req: SimRequest, nowMs: number): void;
}

export interface EngineCoreOptions {
  /** Maps simulated time to KV-event timestamps (real time: wall clock). Default: the simulated time itself. */
  eventTimestamp?: ((simMs: number) => number) | undefined;
}

export class EngineCore {
  readonly config: InstanceConfig;
  readonly #listener: EngineCoreListener;
  readonly #pool: BlockPool;
  /** Seals written blocks at their precision and counts quantised KV reads; undefined at fp16. */
  readonly #kvPrecision: KvPrecisionTracker | undefined;
  readonly #scheduler: Scheduler;
  readonly #events: KvEventEmitter;
  readonly #random: Random;
  readonly #eventTimestamp: (simMs: number) => number;
  #stepInFlight = false;
  #stepStartMs = 0;
  /** Σ knownTokens over every request queued or running here, kept as they change, for load(). */
  #knownTokens = 0;
  /** Σ over the same requests of the prompt tokens cached here when each arrived (not work), for load(). */
  #cachedAtArrival = 0;
  readonly #cachedOf = new WeakMap<SimRequest, number>();

  // Metrics.
  #promptTokens = 0;
  #generationTokens = 0;
  #finished = 0;
  readonly #ttft = new Histogram(TTFT_BUCKETS_S);
  readonly #itl = new Histogram(ITL_BUCKETS_S);
  readonly #e2e = new Histogram(REQUEST_LATENCY_BUCKETS_S);
  readonly #queue = new Histogram(REQUEST_LATENCY_BUCKETS_S);

  constructor(config: InstanceConfig, listener: EngineCoreListener, options: EngineCoreOptions = {}) {
    this.config = config;
    this.#listener = listener;
    this.#events = new KvEventEmitter(config.tier, config.instanceId);
    this.#pool = new BlockPool(config.numBlocks, config.blockSize, this.#events, config.kvLayout.poolSizes);
    this.#kvPrecision = config.kvLayout.quantises ? new KvPrecisionTracker(config.kvLayout, this.#pool) : undefined;
    this.#scheduler = new Scheduler(config, this.#pool);
    this.#random = new Random(mixSeed(config.seed, 0x5157));
    this.#eventTimestamp = options.eventTimestamp ?? ((ms) => ms);
  }

  /** A request object for this instance (its block hashes at this instance's block size). */
  createRequest(spec: SimRequestSpec): SimRequest {
    const req = new SimRequest(spec, this.config.blockSize);
    const total = req.promptTokens + req.outputTokens;
    if (total > this.config.maxModelLen) {
      throw new RangeError(
        `request ${req.id}: ${req.promptTokens} prompt + ${req.outputTokens} output tokens exceed this instance's ` +
          `limit of ${this.config.maxModelLen} (model context or KV capacity): shorten the prompt or max_tokens`,
      );
    }
    return req;
  }

  /** Queues a request (from createRequest) arriving at `nowMs`. */
  add(req: SimRequest, nowMs: number): void {
    req.arrivalMs = nowMs;
    this.#knownTokens += req.knownTokens;
    this.#noteCachedAtArrival(req);
    this.#scheduler.enqueue(req);
  }

  /** Stops a request at once and frees its blocks; no more tokens or onFinish for it. */
  abort(req: SimRequest): void {
    if (req.phase !== "waiting" && req.phase !== "running") return;
    this.#scheduler.remove(req);
    this.#knownTokens -= req.knownTokens;
    this.#forgetCachedAtArrival(req);
    req.phase = "aborted";
  }

  /** Whether any request is queued or running. */
  get hasWork(): boolean {
    return this.#scheduler.running.length > 0 || this.#scheduler.waiting.size > 0;
  }

  /** Whether a step is in flight (between startStep and finishStep). */
  get busy(): boolean {
    return this.#stepInFlight;
  }

  /**
   * Schedules the next step at `nowMs` and returns its duration in ms, or
   * undefined when there is nothing to run (the instance idles until a request arrives).
   */
  startStep(nowMs: number): number | undefined {
    if (this.#stepInFlight) throw new Error("EngineCore.startStep: a step is already in flight");
    const n = this.#scheduler.schedule(nowMs);
    this.#pool.flushEvents(this.#eventTimestamp(nowMs));
    if (n === 0) return undefined;
    this.#stepInFlight = true;
    this.#stepStartMs = nowMs;
    const quantisedKvTokens = this.#kvPrecision?.quantisedTokensRead(this.#scheduler.batch) ?? 0;
    let ms = this.config.stepTime.stepTimeMs(this.#scheduler.shape, quantisedKvTokens);
    const sigma = this.config.jitter;
    if (sigma > 0) ms *= Math.exp(sigma * this.#random.normal() - (sigma * sigma) / 2);
    return ms;
  }

  /** Ends the step in flight at `nowMs`: its prefill chunks and decodes are computed, tokens come out. */
  finishStep(nowMs: number): void {
    if (!this.#stepInFlight) throw new Error("EngineCore.finishStep: no step in flight");
    this.#stepInFlight = false;
    const scheduler = this.#scheduler;
    const batch = scheduler.batch;
    let anyFinished = false;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      if (r.phase !== "running") continue; // aborted during the step
      const computedBefore = r.computed;
      r.computed += r.scheduled;
      r.scheduled = 0;
      this.#kvPrecision?.sealWritten(r, computedBefore); // before caching: a cached block's precision is fixed
      this.#cacheFullBlocks(r, nowMs);
      if (r.computed < r.knownTokens) continue; // a prefill chunk that is not the last
      this.#emitToken(r, nowMs);
      if (r.generated >= r.outputTokens) {
        this.#finish(r, nowMs);
        anyFinished = true;
      }
    }
    batch.length = 0;
    if (anyFinished) scheduler.compactRunning();
  }

  #emitToken(r: SimRequest, nowMs: number): void {
    r.generated++;
    this.#knownTokens++;
    this.#generationTokens++;
    if (r.firstTokenMs < 0) {
      r.firstTokenMs = nowMs;
      this.#promptTokens += r.promptTokens;
      this.#ttft.observe((nowMs - r.arrivalMs) / 1000);
      this.#queue.observe((r.firstScheduledMs - r.arrivalMs) / 1000);
    } else {
      this.#itl.observe((nowMs - r.lastTokenMs) / 1000);
    }
    r.lastTokenMs = nowMs;
    this.#listener.onToken(r, nowMs);
  }

  #finish(r: SimRequest, nowMs: number): void {
    r.phase = "finished";
    r.finishMs = nowMs;
    this.#knownTokens -= r.knownTokens;
    this.#forgetCachedAtArrival(r);
    this.#scheduler.release(r);
    r.releaseHashes();
    this.#finished++;
    this.#e2e.observe((nowMs - r.arrivalMs) / 1000);
    this.#listener.onFinish(r, nowMs);
  }

  /** Registers the request's newly full blocks in the prefix cache; emits "stored" per contiguous run. */
  #cacheFullBlocks(r: SimRequest, nowMs: number): void {
    const bs = this.config.blockSize;
    const full = Math.floor(r.computed / bs);
    if (full <= r.hashedBlocks) return;
    const emit = this.#events.enabled;
    let run: bigint[] | undefined;
    let parent: bigint | undefined;
    let i = r.hashedBlocks;
    for (; i < full; i++) {
      const hash = r.hashAt(i, bs);
      if (hash === undefined) break; // the rest of the chain is unknown (no token ids)
      if (this.#pool.cache(r.blocks[i]!, hash)) {
        if (emit) {
          if (run === undefined) {
            run = [];
            parent = i === 0 ? undefined : r.hashes[i - 1];
          }
          run.push(hash);
        }
      } else if (run !== undefined) {
        // Another block holds this hash already: the run of new blocks ends here.
        this.#events.stored(run, parent, bs, this.#eventTimestamp(nowMs));
        run = undefined;
      }
    }
    r.hashedBlocks = i;
    if (run !== undefined) this.#events.stored(run, parent, bs, this.#eventTimestamp(nowMs));
  }

  /** Leading blocks of this hash chain that are cached here (for placement policies). */
  matchPrefix(hashes: readonly bigint[]): number {
    return this.#pool.matchPrefix(hashes, hashes.length);
  }

  /** Forgets every cached prefix (vLLM /reset_prefix_cache) and emits "cleared". */
  resetPrefixCache(nowMs: number): void {
    this.#pool.clearHashes();
    for (const r of this.#scheduler.running) r.hashedBlocks = r.blocks.length;
    this.#events.cleared(this.#eventTimestamp(nowMs));
  }

  /** Adds a KV event listener; returns a function that removes it. */
  onKvEvent(fn: (e: KvEventInit) => void): () => void {
    return this.#events.subscribe(fn);
  }

  /** The composition of the step in flight, or of the last one (tests, tracing). */
  get stepShape(): Readonly<StepShape> {
    return this.#scheduler.shape;
  }

  /** When the step in flight started (ms), for drivers. */
  get stepStartMs(): number {
    return this.#stepStartMs;
  }

  load(): EngineLoad {
    return {
      running: this.#scheduler.running.length,
      waiting: this.#scheduler.waiting.size,
      maxConcurrency: this.config.maxNumSeqs,
      kvUsage: this.#pool.usage,
      kvBlocksTotal: this.config.numBlocks,
      waitingPromptTokens: this.#waitingPromptTokens(),
    };
  }

  /**
   * Prompt tokens admitted and not yet prefilled, less what the prefix cache
   * holds: a queued request's known tokens (a preempted one recomputes its
   * output too) minus its prompt's cached prefix as it stood on arrival (the
   * hit itself is only taken at admission), and what a running request has
   * left of its prompt. The prefill work queued ahead, as a prefix-aware
   * placement weighs it. Queued requests hold no computed tokens, so their
   * share is the running totals less the running requests' (O(running),
   * however long the queue).
   */
  #waitingPromptTokens(): number {
    let queued = this.#knownTokens - this.#cachedAtArrival;
    let prefill = 0;
    for (const r of this.#scheduler.running) {
      if (r.phase !== "running") continue; // finished in the step being ended, already subtracted
      queued -= r.knownTokens - (this.#cachedOf.get(r) ?? 0);
      if (r.computed < r.promptTokens) prefill += r.promptTokens - r.computed;
    }
    return Math.max(0, queued) + prefill;
  }

  #noteCachedAtArrival(req: SimRequest): void {
    const bs = this.config.blockSize;
    // As admission will ask: never the last token, which is always computed.
    const tokens = this.#pool.matchPrefix(req.hashes, Math.floor((req.knownTokens - 1) / bs)) * bs;
    if (tokens > 0) {
      this.#cachedOf.set(req, tokens);
      this.#cachedAtArrival += tokens;
    }
  }

  #forgetCachedAtArrival(req: SimRequest): void {
    const tokens = this.#cachedOf.get(req);
    if (tokens !== undefined) {
      this.#cachedOf.delete(req);
      this.#cachedAtArrival -= tokens;
    }
  }

  metrics(): SimMetricsSnapshot {
    const c = this.#scheduler.counters;
    return {
      "vllm:num_requests_running": this.#scheduler.running.length,
      "vllm:num_requests_waiting": this.#scheduler.waiting.size,
      "vllm:kv_cache_usage_perc": this.#pool.usage,
      "vllm:prefix_cache_queries": c.prefixQueries,
      "vllm:prefix_cache_hits": c.prefixHits,
      "vllm:num_preemptions": c.preemptions,
      "vllm:prompt_tokens": this.#promptTokens,
      "vllm:generation_tokens": this.#generationTokens,
      "vllm:request_success": this.#finished,
      "vllm:time_to_first_token_seconds": this.#ttft.snapshot(),
      "vllm:inter_token_latency_seconds": this.#itl.snapshot(),
      "vllm:e2e_request_latency_seconds": this.#e2e.snapshot(),
      "vllm:request_queue_time_seconds": this.#queue.snapshot(),
    };
  }
}
