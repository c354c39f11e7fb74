/** A histogram's state: upper bounds (le), the count in each bucket (not cumulative; one extra for +Inf), sum and count. */
export interface HistogramSnapshot {
  readonly buckets: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** A fixed-bucket histogram, Prometheus-style; observe() allocates nothing. */
export class Histogram {
  readonly buckets: readonly number[];
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(buckets: readonly number[]) {
    this.buckets = buckets;
    this.#counts = new Float64Array(buckets.length + 1);
  }

  observe(value: number): void {
    const b = this.buckets;
    // Binary search for the first bound ≥ value (Prometheus buckets are le = "less or equal").
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((b[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    this.#counts[lo]! += 1;
    this.#sum += value;
    this.#count++;
  }

  snapshot(): HistogramSnapshot {
    return { buckets: this.buckets, counts: Array.from(this.#counts), sum: this.#sum, count: this.#count };
  }
}
