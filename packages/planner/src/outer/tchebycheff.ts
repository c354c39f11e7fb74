// Weighted (augmented) Tchebycheff scalarisation over (latency, quality), as
// Cascadia's outer level: with both objectives normalised between the ideal
// (fastest, best) and nadir (slowest, worst) of the points seen, weight w
// minimises max(w · latency gap, (1 − w) · quality gap). Unlike a weighted
// sum, every point of a non-convex front is the minimiser for some weight.
// The small augmentation term breaks ties towards points that are not
// weakly dominated.

import type { LatencyQuality } from "./pareto-front.js";

const AUGMENTATION = 1e-6;

/** Evenly spaced weights on latency in [0, 1], both ends included. */
export function weightSweep(count: number): number[] {
  if (count < 2) return [0.5];
  return Array.from({ length: count }, (_, k) => k / (count - 1));
}

/** For each weight, the index of the point minimising the Tchebycheff value (first on ties). */
export function tchebycheffChoices(points: readonly LatencyQuality[], weights: readonly number[]): number[] {
  if (points.length === 0) return [];
  const lat = points.map((p) => p.latencyMs);
  const q = points.map((p) => p.quality);
  const [lMin, lMax, qMin, qMax] = [Math.min(...lat), Math.max(...lat), Math.min(...q), Math.max(...q)];
  const lSpan = lMax - lMin || 1;
  const qSpan = qMax - qMin || 1;
  return weights.map((w) => {
    let best = 0;
    let bestValue = Infinity;
    points.forEach((p, i) => {
      const dl = (p.latencyMs - lMin) / lSpan;
      const dq = (qMax - p.quality) / qSpan;
      const value = Math.max(w * dl, (1 - w) * dq) + AUGMENTATION * (dl + dq);
      if (value < bestValue - 1e-15) {
        best = i;
        bestValue = value;
      }
    });
    return best;
  });
}
