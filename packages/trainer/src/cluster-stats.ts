import { type ClusterTierStats, shrunkProportion, wilsonInterval } from "@weir/routing";
import type { PreparedData } from "./prepared-data.js";

/** Correct counts per (cluster, tier) and sizes per cluster over the rows for which `include` holds. */
export interface ClusterCounts {
  readonly k: number;
  readonly T: number;
  /** correct[c * T + t] */
  readonly correct: Float64Array;
  readonly size: Float64Array;
  /** Overall accuracy per tier over the included rows (the shrinkage target). */
  readonly overall: number[];
}

export function countClusters(d: PreparedData, assign: Int32Array, k: number, include: (i: number) => boolean): ClusterCounts {
  const T = d.tiers.length;
  const correct = new Float64Array(k * T);
  const size = new Float64Array(k);
  const tot = new Array<number>(T).fill(0);
  let n = 0;
  for (let i = 0; i < d.n; i++) {
    if (!include(i)) continue;
    const c = assign[i]!;
    size[c]! += 1;
    n++;
    for (let t = 0; t < T; t++) {
      correct[c * T + t]! += d.correct[i * T + t]!;
      tot[t]! += d.correct[i * T + t]!;
    }
  }
  return { k, T, correct, size, overall: tot.map((x) => (n === 0 ? 0.5 : x / n)) };
}

/** Tier t's accuracy on cluster c, shrunk towards its overall accuracy by `priorWeight` pseudo-rows. */
export function shrunkAccuracy(cc: ClusterCounts, c: number, t: number, priorWeight: number): number {
  return shrunkProportion(cc.correct[c * cc.T + t]!, cc.size[c]!, cc.overall[t]!, priorWeight);
}

/** The artifact's per-tier record of one cluster. */
export function clusterTierStats(cc: ClusterCounts, c: number, tierNames: readonly string[], priorWeight: number): ClusterTierStats[] {
  return tierNames.map((tier, t) => {
    const correct = cc.correct[c * cc.T + t]!;
    const n = cc.size[c]!;
    const w = wilsonInterval(correct, n);
    return { tier, correct, n, accuracy: round(shrunkAccuracy(cc, c, t, priorWeight)), lo: round(w.lo), hi: round(w.hi) };
  });
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
