import { LENGTH_BIN_COUNT, lengthBin } from "./length-bins.js";

/**
 * The lengths of a tier's most recent `window` requests, binned: a ring of
 * the recent bins plus running counts and cost sums per bin, so recording
 * is O(1) and a snapshot O(bins).
 */
export class LengthHistogram {
  readonly #window: number;
  readonly #ring: Int32Array;
  readonly #ringCost: Float64Array;
  #next = 0;
  #size = 0;
  readonly counts = new Float64Array(LENGTH_BIN_COUNT);
  readonly costs = new Float64Array(LENGTH_BIN_COUNT);
  /** Requests recorded since creation (not capped by the window). */
  recorded = 0;

  constructor(window: number) {
    if (!(window >= 1)) throw new RangeError(`histogram window must be ≥ 1, got ${window}`);
    this.#window = Math.floor(window);
    this.#ring = new Int32Array(this.#window);
    this.#ringCost = new Float64Array(this.#window);
  }

  /** Requests the histogram holds now (≤ window). */
  get size(): number {
    return this.#size;
  }

  record(tokens: number, cost: number): void {
    const bin = lengthBin(tokens);
    if (this.#size === this.#window) {
      const old = this.#ring[this.#next]!;
      this.counts[old]! -= 1;
      this.costs[old]! -= this.#ringCost[this.#next]!;
    } else {
      this.#size++;
    }
    this.#ring[this.#next] = bin;
    this.#ringCost[this.#next] = cost;
    this.#next = (this.#next + 1) % this.#window;
    this.counts[bin]! += 1;
    this.costs[bin]! += cost;
    this.recorded++;
  }

  /** The share of requests per bin (sums to 1; all zero when empty). */
  shares(): Float64Array {
    const out = new Float64Array(LENGTH_BIN_COUNT);
    if (this.#size === 0) return out;
    for (let b = 0; b < LENGTH_BIN_COUNT; b++) out[b] = this.counts[b]! / this.#size;
    return out;
  }
}

/** Total-variation distance between two share vectors: 0 = same, 1 = disjoint. */
export function totalVariation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return d / 2;
}
