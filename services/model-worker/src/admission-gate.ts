import type { EngineLoad } from "@weir/engine";
import { WeirError } from "@weir/errors";

export interface AdmissionGateOptions {
  /** Requests queued beyond the running ones before refusing (0 = no bound). */
  maxWaiting: number;
  /** The engine's load, read at each admission. */
  load: () => EngineLoad;
  /**
   * The shortest Retry-After to suggest: the worker's heartbeat interval,
   * since the scheduler cannot see a freed slot before the next heartbeat.
   */
  minRetryAfterMs: number;
  /** Longest Retry-After to suggest. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Clock in ms (injectable for tests). Default performance.now. */
  now?: () => number;
}

/** Weight of the newest duration in the moving average of request durations. */
const EWMA_WEIGHT = 0.2;

/**
 * The worker's bounded queue: admits a GenerateTokens call only while fewer
 * than maxWaiting requests wait for an engine slot, and refuses the rest at
 * once with RESOURCE_EXHAUSTED, so a full worker answers in microseconds
 * instead of queueing work it cannot start in time.
 *
 * Waiting is counted two ways and the larger wins: the engine's own queue
 * (which also sees requests held back for lack of KV blocks), and the
 * requests this gate admitted beyond maxConcurrency. The second is updated
 * synchronously at admission, so a burst that arrives before the engine has
 * queued any of it cannot slip past the bound.
 *
 * Retry-After is the moving average duration of admitted requests times the
 * queue ahead of a newcomer, spread over the engine's slots: about when a
 * slot would be free for it.
 */
export class AdmissionGate {
  readonly #maxWaiting: number;
  readonly #load: () => EngineLoad;
  readonly #minRetryAfterMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #now: () => number;
  #admitted = 0;
  #meanDurationMs: number | undefined;

  constructor(options: AdmissionGateOptions) {
    this.#maxWaiting = options.maxWaiting;
    this.#load = options.load;
    this.#minRetryAfterMs = options.minRetryAfterMs;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Requests admitted and not yet released. */
  get admitted(): number {
    return this.#admitted;
  }

  /**
   * Admits one request and returns its release (call it once the request
   * ends, however it ends; a second call is harmless), or throws
   * RESOURCE_EXHAUSTED with a Retry-After when the queue is full.
   */
  admit(what: string): () => void {
    if (this.#maxWaiting > 0) {
      const load = this.#load();
      const waiting = Math.max(load.waiting, this.#admitted - load.maxConcurrency);
      if (waiting >= this.#maxWaiting) {
        throw WeirError.resourceExhausted(
          `${what} is full: ${waiting} requests already wait for one of its ${load.maxConcurrency} slots ` +
            `(worker.maxWaiting is ${this.#maxWaiting}); retry later or add instances`,
          this.retryAfterMs(waiting, load.maxConcurrency),
        );
      }
    }
    this.#admitted++;
    const startedAt = this.#now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#admitted--;
      const duration = this.#now() - startedAt;
      this.#meanDurationMs =
        this.#meanDurationMs === undefined ? duration : this.#meanDurationMs + EWMA_WEIGHT * (duration - this.#meanDurationMs);
    };
  }

  /** When a slot is likely free for a newcomer behind `waiting` others. */
  retryAfterMs(waiting: number, maxConcurrency: number): number {
    const mean = this.#meanDurationMs ?? 0;
    const estimate = Math.ceil((mean * (waiting + 1)) / Math.max(1, maxConcurrency));
    return Math.min(this.#maxRetryAfterMs, Math.max(this.#minRetryAfterMs, estimate));
  }
}
