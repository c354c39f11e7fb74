import { cosine } from "./vector.js";

/** The L5 control signal kinds; each is published on weir.signals.<kind>. */
export const SIGNAL_KINDS = ["risk", "novelty", "drift", "confidence"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** How far a request is from what the router was trained on. */
export interface Novelty {
  /** The nearest centroid. */
  readonly cluster: number;
  /** 1 − cosine similarity to the nearest centroid, clamped to 0..1: 0 = on a centroid, 1 = orthogonal to all. */
  readonly novelty: number;
}

/**
 * Novelty of an embedded request: cosine distance to the nearest cluster
 * centroid. Cosine rather than L2 because the embedders produce unit vectors
 * and centroids (means of unit vectors) are shorter than 1: their direction is
 * what a cluster means.
 */
export function noveltyOf(vector: ArrayLike<number>, centroids: readonly ArrayLike<number>[]): Novelty {
  let cluster = 0;
  let best = -Infinity;
  centroids.forEach((c, i) => {
    const sim = cosine(vector, c);
    if (sim > best) {
      best = sim;
      cluster = i;
    }
  });
  const novelty = centroids.length === 0 ? 1 : Math.min(1, Math.max(0, 1 - best));
  return { cluster, novelty };
}

/** L5 consumer rule: how novelty raises the QE threshold. */
export interface NoveltyRule {
  /** Novelty at or below which the threshold is left alone (familiar inputs). */
  readonly above: number;
  /** The raise at novelty 1; in between it grows linearly from 0 at `above`. */
  readonly maxRaise: number;
}

/**
 * The judge's score was calibrated on the training clusters; far from them it
 * is extrapolating, so trust it less: require a higher score before accepting
 * a cheap answer. threshold + maxRaise · (novelty − above) / (1 − above), at
 * most 1. Never lowers a threshold.
 */
export function noveltyAdjustedThreshold(threshold: number, novelty: number, rule: NoveltyRule): number {
  if (!(novelty > rule.above) || rule.above >= 1) return threshold;
  const raise = (rule.maxRaise * (novelty - rule.above)) / (1 - rule.above);
  return Math.min(1, threshold + raise);
}

/**
 * Drift of the cluster mix: total variation distance between the share of
 * each cluster among the last `window` requests and the training mix
 * (clusters' training sizes). 0 = same mix, 1 = disjoint. A sliding window,
 * so it follows the traffic and forgets.
 */
export class ClusterMixDrift {
  readonly #training: number[];
  readonly #window: number;
  readonly #recent: number[] = [];
  readonly #counts: number[];

  constructor(trainingSizes: readonly number[], window: number) {
    const total = trainingSizes.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error("ClusterMixDrift needs clusters with training rows");
    if (!(Number.isInteger(window) && window >= 1)) throw new Error(`drift window ${window}: use a whole number ≥ 1`);
    this.#training = trainingSizes.map((s) => s / total);
    this.#window = window;
    this.#counts = trainingSizes.map(() => 0);
  }

  /** Requests in the window so far (at most `window`). */
  get size(): number {
    return this.#recent.length;
  }

  /** Adds one request's cluster and returns the drift of the window after it. */
  observe(cluster: number): number {
    if (cluster < 0 || cluster >= this.#counts.length) throw new Error(`cluster ${cluster} is not one of the ${this.#counts.length}`);
    this.#recent.push(cluster);
    this.#counts[cluster]!++;
    if (this.#recent.length > this.#window) this.#counts[this.#recent.shift()!]!--;
    return this.drift();
  }

  drift(): number {
    const n = this.#recent.length;
    if (n === 0) return 0;
    let tv = 0;
    this.#training.forEach((p, i) => {
      tv += Math.abs(this.#counts[i]! / n - p);
    });
    return tv / 2;
  }
}
