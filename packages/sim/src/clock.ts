// Simulated time, in milliseconds. The engine core never reads a clock: its
// drivers tell it what time it is. In virtual time that is the event queue's
// clock (EventQueue.now), which jumps from event to event; in real time it is
// the wall clock scaled by a speedup, below.

/** Anything that says what simulated time it is, in ms. */
export interface Clock {
  now(): number;
}

/**
 * Wall time scaled by `speedup`: simulated ms = (wall ms since start) × speedup.
 * A speedup of 10 runs the engine ten times faster than the modelled GPU.
 */
export class ScaledWallClock implements Clock {
  readonly speedup: number;
  readonly #wallNow: () => number;
  readonly #wallStart: number;

  constructor(speedup = 1, wallNow: () => number = () => performance.now()) {
    if (!(speedup > 0) || !Number.isFinite(speedup)) throw new RangeError(`speedup must be a number > 0, got ${speedup}`);
    this.speedup = speedup;
    this.#wallNow = wallNow;
    this.#wallStart = wallNow();
  }

  now(): number {
    return (this.#wallNow() - this.#wallStart) * this.speedup;
  }

  /** Wall ms from now until simulated time `simMs` (negative when it has passed). */
  wallDelayUntil(simMs: number): number {
    return this.#wallStart + simMs / this.speedup - this.#wallNow();
  }
}
