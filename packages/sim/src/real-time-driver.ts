// Drives one EngineCore in real time: start a step, sleep its duration (over
// the speedup), finish it, start the next. Step boundaries are laid end to end
// in simulated time and each sleep aims at the absolute wall time of the
// step's end, so timer lateness does not accumulate: a late wake-up makes the
// next sleep shorter. After a long stall (the event loop blocked for longer
// than maxLagMs) the driver re-anchors to the wall clock rather than racing to
// catch up.

import { ScaledWallClock } from "./clock.js";
import type { EngineCore } from "./engine-core.js";

export interface RealTimeDriverOptions {
  /** Simulated ms per wall ms. Default 1. */
  speedup?: number | undefined;
  /** The clock to run on (tests). Default: a ScaledWallClock with `speedup`. */
  clock?: ScaledWallClock | undefined;
  /** Simulated ms the driver may fall behind the wall clock before re-anchoring. Default 1000. */
  maxLagMs?: number | undefined;
}

/** Sleeps shorter than this (wall ms) yield to the event loop instead: timers are ~1 ms coarse. */
const MIN_TIMER_MS = 1;

export class RealTimeDriver {
  readonly clock: ScaledWallClock;
  readonly #core: EngineCore;
  readonly #maxLagMs: number;
  #timeout: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #stopped = false;
  /** End of the last step: simulated time never runs backwards, even after a sub-millisecond early wake-up. */
  #lastEndMs = 0;

  constructor(core: EngineCore, options: RealTimeDriverOptions = {}) {
    this.#core = core;
    this.clock = options.clock ?? new ScaledWallClock(options.speedup ?? 1);
    this.#maxLagMs = options.maxLagMs ?? 1000;
  }

  /** The simulated time now. */
  now(): number {
    return this.clock.now();
  }

  /** Starts stepping if the engine is idle; call after adding a request. */
  kick(): void {
    if (this.#stopped || this.#core.busy) return;
    this.#step(Math.max(this.clock.now(), this.#lastEndMs));
  }

  /** Stops stepping (in-flight requests freeze); for shutdown and tests. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  #step(startMs: number): void {
    const ms = this.#core.startStep(startMs);
    if (ms === undefined) return; // idle until the next kick
    const endMs = startMs + ms;
    const delay = this.clock.wallDelayUntil(endMs);
    const done = (): void => {
      this.#timeout = undefined;
      this.#immediate = undefined;
      this.#lastEndMs = endMs;
      this.#core.finishStep(endMs);
      if (this.#stopped) return;
      const now = this.clock.now();
      this.#step(now - endMs > this.#maxLagMs ? now : endMs);
    };
    if (delay >= MIN_TIMER_MS) this.#timeout = setTimeout(done, delay);
    else this.#immediate = setImmediate(done);
  }

  #clearTimer(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
  }
}
