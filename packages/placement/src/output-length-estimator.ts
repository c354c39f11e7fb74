import { LENGTH_BIN_COUNT, lengthBin } from "./length-bins.js";

export interface OutputLengthEstimatorOptions {
  /** Estimate before anything is observed for a prompt length. Default 256 tokens (a typical chat answer). */
  defaultOutputTokens?: number;
  /** Weight of each new observation in the moving average. Default 0.05 (≈ the last 20–40 requests). */
  alpha?: number;
}

/**
 * Predicts a request's output length from its prompt length, online: an
 * exponentially weighted moving average of observed output lengths per
 * prompt-length bin (the bins of length-bins.ts), per tier. A bin with no
 * observations borrows its nearest observed neighbour's estimate, then the
 * default. Used when a request carries no prediction of its own.
 */
export class OutputLengthEstimator {
  readonly #default: number;
  readonly #alpha: number;
  readonly #tiers = new Map<string, Float64Array>();

  constructor(options: OutputLengthEstimatorOptions = {}) {
    this.#default = options.defaultOutputTokens ?? 256;
    this.#alpha = options.alpha ?? 0.05;
    if (!(this.#alpha > 0 && this.#alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${this.#alpha}`);
  }

  /** Predicted output tokens for a prompt of this length on this tier. */
  estimate(tier: string, promptTokens: number): number {
    const averages = this.#tiers.get(tier);
    if (averages === undefined) return this.#default;
    const bin = lengthBin(promptTokens);
    for (let d = 0; d < LENGTH_BIN_COUNT; d++) {
      const below = averages[bin - d];
      if (below !== undefined && below > 0) return below;
      const above = averages[bin + d];
      if (above !== undefined && above > 0) return above;
    }
    return this.#default;
  }

  /** Feeds back what a request of this prompt length actually produced. */
  observe(tier: string, promptTokens: number, outputTokens: number): void {
    if (!(outputTokens >= 0)) return;
    let averages = this.#tiers.get(tier);
    if (averages === undefined) {
      averages = new Float64Array(LENGTH_BIN_COUNT);
      this.#tiers.set(tier, averages);
    }
    const bin = lengthBin(promptTokens);
    const prev = averages[bin]!;
    // The first observation seeds the average; 0 marks "none yet", so a 0-token output counts as a tiny one.
    const x = Math.max(outputTokens, 1e-9);
    averages[bin] = prev > 0 ? prev + this.#alpha * (x - prev) : x;
  }
}
