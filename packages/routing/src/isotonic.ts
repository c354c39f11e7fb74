/**
 * A monotone (non-decreasing) map from raw scores to probabilities: the
 * fitted points, interpolated linearly between them and flat beyond them.
 */
export interface IsotonicCalibration {
  readonly kind: "isotonic";
  /** Raw scores, strictly increasing. */
  readonly x: number[];
  /** Calibrated probabilities at x, non-decreasing. */
  readonly y: number[];
}

/**
 * Isotonic regression by pool-adjacent-violators on (score, label) pairs.
 * Calibrates a classifier's scores into probabilities on held-out data
 * without assuming a shape (Platt scaling assumes a sigmoid). Each pooled
 * block becomes a point at its mean score. `minBlockWeight` merges blocks
 * lighter than it (a block of one example is not a probability).
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>, minBlockWeight = 1): IsotonicCalibration {
  const n = scores.length;
  if (n === 0) return { kind: "isotonic", x: [0, 1], y: [0, 1] };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Blocks: sum of x, sum of y, weight.
  const bx: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  for (const i of order) {
    bx.push(scores[i]!);
    by.push(labels[i]!);
    bw.push(1);
    // Pool while the last block's mean is not above its predecessor's, or a tie in x.
    while (bw.length > 1) {
      const a = bw.length - 2;
      const b = bw.length - 1;
      const violates = by[a]! / bw[a]! >= by[b]! / bw[b]!;
      const tiedX = bx[a]! / bw[a]! === bx[b]! / bw[b]!;
      const light = bw[a]! < minBlockWeight;
      if (!(violates || tiedX || light)) break;
      bx[a]! += bx[b]!;
      by[a]! += by[b]!;
      bw[a]! += bw[b]!;
      bx.pop();
      by.pop();
      bw.pop();
    }
  }
  // The last block may be light: merge it into its predecessor.
  while (bw.length > 1 && bw[bw.length - 1]! < minBlockWeight) {
    const a = bw.length - 2;
    bx[a]! += bx[a + 1]!;
    by[a]! += by[a + 1]!;
    bw[a]! += bw[a + 1]!;
    bx.pop();
    by.pop();
    bw.pop();
  }
  const x = bx.map((s, i) => s / bw[i]!);
  const y = by.map((s, i) => s / bw[i]!);
  // Merging light blocks can break monotonicity in y: enforce it with a running max.
  for (let i = 1; i < y.length; i++) y[i] = Math.max(y[i]!, y[i - 1]!);
  return { kind: "isotonic", x, y };
}

/** The calibrated probability of a raw score. */
export function applyIsotonic(c: IsotonicCalibration, s: number): number {
  const { x, y } = c;
  const last = x.length - 1;
  if (last < 0) return s;
  if (s <= x[0]!) return y[0]!;
  if (s >= x[last]!) return y[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const span = x[hi]! - x[lo]!;
  // Rounded artifacts can hold two equal x: take the upper value rather than divide by zero.
  if (span <= 0) return y[hi]!;
  return y[lo]! + ((s - x[lo]!) / span) * (y[hi]! - y[lo]!);
}
