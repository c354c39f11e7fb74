// Iteration-level continuous batching in the style of vLLM v1's scheduler.
// Every step:
//   1. the running decodes, one token each, oldest first;
//   2. the running requests still prefilling, a chunk each;
//   3. waiting requests, oldest first (preempted ones are at the front), each
//      with a prefill chunk after its cached prefix,
// all within maxNumBatchedTokens tokens and maxNumSeqs sequences. A running
// request that cannot get a KV block preempts the newest running request not
// yet in this step (LIFO) — or, if there is none, itself: its blocks are
// freed and it goes back to the front of the queue, to be recomputed from
// whatever of its prefix is still cached. No request is ever dropped. A step
// that preempts admits no new request, as in vLLM.

import type { BlockPool } from "./block-pool.js";
import { Deque } from "./deque.js";
import type { StepShape } from "./roofline.js";
import type { SimRequest } from "./sim-request.js";

export interface SchedulerLimits {
  /** Most sequences in one step (vLLM --max-num-seqs). */
  maxNumSeqs: number;
  /** Most tokens computed in one step (vLLM --max-num-batched-tokens): the prefill chunk budget. */
  maxNumBatchedTokens: number;
}

/** Counters the scheduler keeps for the engine's metrics. */
export interface SchedulerCounters {
  preemptions: number;
  /** Tokens looked up in the prefix cache at admission. */
  prefixQueries: number;
  /** Tokens found there. */
  prefixHits: number;
}

export class Scheduler {
  readonly waiting = new Deque<SimRequest>();
  /** Admitted requests (decoding or part-prefilled), oldest first. */
  readonly running: SimRequest[] = [];
  /** The requests of the step being built or in flight; each one's `scheduled` holds its tokens. */
  readonly batch: SimRequest[] = [];
  /** The step's composition, for the step-time model. */
  readonly shape: StepShape = { sequences: 0, tokens: 0, attendedContext: 0, kvTokensRead: 0 };
  readonly counters: SchedulerCounters = { preemptions: 0, prefixQueries: 0, prefixHits: 0 };
  readonly #limits: SchedulerLimits;
  readonly #pool: BlockPool;
  readonly #blockSize: number;
  readonly #hitBlocks: number[] = [];
  #preemptedThisStep = false;

  constructor(limits: SchedulerLimits, pool: BlockPool) {
    this.#limits = limits;
    this.#pool = pool;
    this.#blockSize = pool.blockSize;
  }

  enqueue(req: SimRequest): void {
    req.phase = "waiting";
    this.waiting.pushBack(req);
  }

  /** Takes a request out (abort); frees its blocks. */
  remove(req: SimRequest): void {
    if (req.phase === "waiting") this.waiting.remove(req);
    else if (req.phase === "running") {
      const i = this.running.indexOf(req);
      if (i >= 0) this.running.splice(i, 1);
    }
    this.#release(req);
  }

  /** Frees a finished request's blocks; the caller compacts `running` after the step. */
  release(req: SimRequest): void {
    this.#release(req);
  }

  /** Drops requests that are no longer running (finished, aborted) from `running`, keeping order. */
  compactRunning(): void {
    const running = this.running;
    let w = 0;
    for (let i = 0; i < running.length; i++) {
      const r = running[i]!;
      if (r.phase === "running") running[w++] = r;
    }
    running.length = w;
  }

  /** Builds the next step into `batch` and `shape`; returns the number of sequences in it. */
  schedule(nowMs: number): number {
    this.batch.length = 0;
    const shape = this.shape;
    shape.sequences = 0;
    shape.tokens = 0;
    shape.attendedContext = 0;
    shape.kvTokensRead = 0;
    this.#preemptedThisStep = false;

    let budget = this.#limits.maxNumBatchedTokens;
    budget = this.#scheduleRunning(true, budget);
    budget = this.#scheduleRunning(false, budget);
    if (!this.#preemptedThisStep) this.#admitWaiting(budget, nowMs);
    return this.batch.length;
  }

  /** Pass 1 (decodes = true) or 2 (part-prefilled requests) over the running requests. */
  #scheduleRunning(decodes: boolean, budget: number): number {
    const running = this.running;
    for (let i = 0; i < running.length && budget > 0; i++) {
      const r = running[i]!;
      if (r.scheduled > 0) continue;
      const remaining = r.knownTokens - r.computed;
      const isDecode = remaining === 1 && r.generated > 0;
      if (isDecode !== decodes) continue;
      const n = remaining < budget ? remaining : budget;
      if (!this.#allocateForRunning(r, n)) {
        // r preempted itself: the request after it now sits at index i.
        i--;
        continue;
      }
      // Victims are always newer than r (later in the list): i still points at r.
      this.#add(r, n);
      budget -= n;
    }
    return budget;
  }

  /** Blocks for n more tokens of a running request, preempting newer ones if needed; false if r itself was preempted. */
  #allocateForRunning(r: SimRequest, n: number): boolean {
    const needed = Math.ceil((r.computed + n) / this.#blockSize) - r.blocks.length;
    while (needed > this.#pool.freeBlocks) {
      const victim = this.#pickVictim(r);
      this.#preempt(victim);
      if (victim === r) return false;
    }
    for (let k = 0; k < needed; k++) r.blocks.push(this.#pool.allocate());
    return true;
  }

  /**
   * LIFO: the newest running request that is not yet in this step, or r
   * itself when r is newer than all of those (vLLM pops the running list's
   * tail, which is r or a request not visited yet).
   */
  #pickVictim(r: SimRequest): SimRequest {
    const running = this.running;
    for (let j = running.length - 1; j >= 0; j--) {
      const c = running[j]!;
      if (c === r || c.scheduled === 0) return c;
    }
    return r;
  }

  #preempt(victim: SimRequest): void {
    const i = this.running.lastIndexOf(victim);
    if (i >= 0) this.running.splice(i, 1);
    this.#release(victim);
    victim.preemptions++;
    victim.phase = "waiting";
    this.waiting.pushFront(victim);
    this.counters.preemptions++;
    this.#preemptedThisStep = true;
  }

  /** Pass 3: admit waiting requests while tokens, sequences and blocks last. */
  #admitWaiting(budget: number, nowMs: number): void {
    const bs = this.#blockSize;
    const pool = this.#pool;
    const hitBlocks = this.#hitBlocks;
    while (budget > 0 && this.running.length < this.#limits.maxNumSeqs) {
      const r = this.waiting.peekFront();
      if (r === undefined) break;
      // Never the whole prompt from cache: the last token is always computed, to produce logits.
      const hits = pool.matchPrefix(r.hashes, Math.floor((r.knownTokens - 1) / bs), hitBlocks);
      const hitTokens = hits * bs;
      const remaining = r.knownTokens - hitTokens;
      const n = remaining < budget ? remaining : budget;
      const needed = Math.ceil((hitTokens + n) / bs) - hits;
      if (needed + pool.countUnused(hitBlocks) > pool.freeBlocks) break;

      this.waiting.popFront();
      for (const b of hitBlocks) pool.take(b);
      const blocks = hitBlocks.slice();
      for (let k = 0; k < needed; k++) blocks.push(pool.allocate());
      r.blocks = blocks;
      r.computed = hitTokens;
      r.hashedBlocks = hits;
      r.phase = "running";
      if (r.cachedPromptTokens < 0) {
        r.cachedPromptTokens = Math.min(hitTokens, r.promptTokens);
        r.firstScheduledMs = nowMs;
      }
      this.counters.prefixQueries += r.knownTokens;
      this.counters.prefixHits += hitTokens;
      this.running.push(r);
      this.#add(r, n);
      budget -= n;
    }
  }

  #add(r: SimRequest, n: number): void {
    r.scheduled = n;
    this.batch.push(r);
    const shape = this.shape;
    const context = r.computed;
    shape.sequences++;
    shape.tokens += n;
    shape.attendedContext += n * context + (n * (n + 1)) / 2;
    shape.kvTokensRead += context + n;
  }

  #release(req: SimRequest): void {
    if (req.blocks.length > 0) this.#pool.freeAll(req.blocks);
    req.blocks = [];
    req.computed = 0;
    req.hashedBlocks = 0;
    req.scheduled = 0;
  }
}
