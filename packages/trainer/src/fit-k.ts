import { kmeans } from "@weir/routing";
import { countClusters, shrunkAccuracy, type ClusterCounts } from "./cluster-stats.js";
import type { PreparedData } from "./prepared-data.js";
import { trainQe, type QeFeatureBank, type QeFit } from "./qe-training.js";
import { betaGrid, choosePoint, sweepCrossFitted, thresholdGrid, type SweepPoint } from "./sweep.js";

/** Everything learned for one number of clusters k, with its cross-fitted validation sweep. */
export interface KFit {
  readonly k: number;
  readonly centroids: Float32Array;
  readonly dims: number;
  readonly inertia: number;
  /** Cluster of each training row. */
  readonly assign: Int32Array;
  /** Counts over every training row (the artifact's cluster statistics). */
  readonly counts: ClusterCounts;
  readonly answerText: boolean[];
  readonly qe: QeFit;
  /** Validation sweep of the full method (cluster + escalate). */
  readonly points: SweepPoint[];
  readonly chosen: SweepPoint;
  readonly met: boolean;
}

export interface FitKOptions {
  readonly d: PreparedData;
  /** Training embeddings, n × dims. */
  readonly embeddings: Float32Array;
  readonly dims: number;
  readonly bank: QeFeatureBank;
  readonly folds: Int32Array;
  readonly foldCount: number;
  readonly seed: number;
  readonly priorWeight: number;
  readonly l2Grid: readonly number[];
  readonly target: number;
  readonly strongestAccuracy: number;
}

/**
 * Clusters the training prompts into k groups, cross-fits the per-cluster
 * tier priors and the QE on them, and sweeps (τ, β) on the out-of-fold
 * predictions. Every figure it returns is a validation figure.
 */
export function fitK(k: number, o: FitKOptions): KFit {
  const { d, folds, foldCount: F, priorWeight } = o;
  const T = d.tiers.length;
  const km = kmeans(o.embeddings, o.dims, { k, seed: o.seed });
  const kk = km.k;
  const assign = km.assignments;
  const counts = countClusters(d, assign, kk, () => true);
  // Priors a row would see if it were new: its cluster's accuracy on the other folds.
  const foldCounts = Array.from({ length: F }, (_, f) => countClusters(d, assign, kk, (i) => folds[i] !== f));
  const priorOOF = (i: number, t: number): number => shrunkAccuracy(foldCounts[folds[i]!]!, assign[i]!, t, priorWeight);
  const textRows = new Float64Array(kk);
  for (let i = 0; i < d.n; i++) textRows[assign[i]!]! += d.hasText[i]!;
  const answerText = Array.from({ length: kk }, (_, c) => counts.size[c]! > 0 && textRows[c]! / counts.size[c]! >= 0.5);
  const qe = trainQe(d, o.bank, {
    folds,
    foldCount: F,
    priorOOF,
    answerText: (i) => answerText[assign[i]!]!,
    l2Grid: o.l2Grid,
    minCalibrationBlock: Math.max(5, Math.round((d.n * (T - 1)) / 200)),
  });
  const points = sweepCrossFitted(
    { d, assign, k: kk, folds, foldCount: F, probs: qe.probOOF, priorWeight, answerText },
    { taus: thresholdGrid(T), betas: betaGrid() },
  );
  const { point, met } = choosePoint(points, o.strongestAccuracy, o.target);
  return { k: kk, centroids: km.centroids, dims: o.dims, inertia: km.inertia, assign, counts, answerText, qe, points, chosen: point, met };
}
