/** A proportion with a confidence interval. */
export interface Interval {
  /** Point estimate (successes / n; 0 when n = 0). */
  readonly p: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Wilson score interval for a binomial proportion. Unlike the normal
 * approximation it stays inside [0, 1] and is honest for small clusters and
 * accuracies near 0 or 1, which is where per-cluster accuracies live.
 * z = 1.96 is a 95% interval.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (!(n >= 0) || successes < 0 || successes > n) {
    throw new Error(`wilsonInterval needs 0 ≤ successes ≤ n, got ${successes} of ${n}`);
  }
  if (n === 0) return { p: 0, lo: 0, hi: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Posterior mean of a proportion under a Beta prior centred on `priorMean`
 * with `priorWeight` pseudo-observations: small clusters shrink towards the
 * overall accuracy instead of trusting 3 out of 3.
 */
export function shrunkProportion(successes: number, n: number, priorMean: number, priorWeight: number): number {
  return (successes + priorMean * priorWeight) / (n + priorWeight);
}
