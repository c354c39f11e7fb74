import type { ArtifactCluster, RoutingArtifact } from "./artifact.js";
import { chooseStart } from "./assignment.js";
import { createEmbedder, type CreateEmbedderOptions } from "./create-embedder.js";
import type { Embedder } from "./embedder.js";
import { applyIsotonic } from "./isotonic.js";
import { nearestCentroid } from "./kmeans.js";
import { predictLogistic } from "./logistic.js";
import { qeFeatureCount, qeFeatures } from "./qe-features.js";

/** A QE verdict before the threshold is applied. */
export interface QeEstimate {
  /** Calibrated probability that the answer is acceptable. */
  readonly probability: number;
  /** The logistic model's output before calibration. */
  readonly raw: number;
  readonly cluster: number;
  /** The tier's prior accuracy on the cluster (a feature). */
  readonly prior: number;
}

/**
 * An artifact made ready to serve: the embedder rebuilt, centroids in one
 * typed array, the QE weights in place. Router, judge and `weir eval` all go
 * through it, so offline figures come from the code that serves.
 */
export class RoutingModel {
  readonly artifact: RoutingArtifact;
  readonly embedder: Embedder;
  readonly k: number;
  readonly #centroids: Float32Array;
  readonly #tierIndex: Map<string, number>;
  readonly #scratch: Float64Array;

  constructor(artifact: RoutingArtifact, opts: CreateEmbedderOptions = {}) {
    this.artifact = artifact;
    this.embedder = createEmbedder(artifact.embedder, opts);
    this.k = artifact.centroids.length;
    const dims = artifact.centroids[0]?.length ?? 0;
    this.#centroids = new Float32Array(this.k * dims);
    artifact.centroids.forEach((c, i) => this.#centroids.set(c, i * dims));
    this.#tierIndex = new Map(artifact.tiers.map((t, i) => [t.name, i]));
    this.#scratch = new Float64Array(qeFeatureCount(artifact.qe.features));
  }

  /** Tier names, cheapest first. */
  tierNames(): string[] {
    return this.artifact.tiers.map((t) => t.name);
  }

  hasTier(name: string): boolean {
    return this.#tierIndex.has(name);
  }

  /** The cluster of an embedded query. */
  clusterOfVector(v: ArrayLike<number>): number {
    return nearestCentroid(v, this.#centroids, this.k);
  }

  /** The cluster of a query text (async only when the embedder calls a server). */
  async clusterOf(text: string): Promise<number> {
    if (this.embedder.embedSync !== undefined) return this.clusterOfVector(this.embedder.embedSync(text));
    const [v] = await this.embedder.embed([text]);
    return this.clusterOfVector(v!);
  }

  /** Synchronous cluster lookup; undefined when the embedder needs I/O. */
  clusterOfSync(text: string): number | undefined {
    return this.embedder.embedSync === undefined ? undefined : this.clusterOfVector(this.embedder.embedSync(text));
  }

  cluster(id: number): ArtifactCluster {
    const c = this.artifact.clusters[id];
    if (c === undefined) throw new Error(`cluster ${id} is not in the artifact (k = ${this.k})`);
    return c;
  }

  /** Index into the cluster's `starts` chosen under budget β. */
  startIndex(cluster: number, beta: number): number {
    return chooseStart(this.cluster(cluster).starts, beta);
  }

  /** The ladder starting at `tier`: it, then every stronger (pricier) tier of the artifact. */
  ladderFrom(tier: string): string[] {
    const i = this.#tierIndex.get(tier);
    if (i === undefined) throw new Error(`tier "${tier}" is not in the artifact`);
    return this.tierNames().slice(i);
  }

  /** The accept threshold of `tier` as a non-final rung, for a request in `cluster`. */
  threshold(tier: string, cluster?: number): number {
    const qe = this.artifact.qe;
    const withoutText = cluster !== undefined && !this.cluster(cluster).answerText ? qe.thresholdsWithoutText : undefined;
    return withoutText?.[tier] ?? qe.thresholds[tier] ?? 0;
  }

  /** The tier's prior accuracy on a cluster. */
  prior(cluster: number, tier: string): number {
    const i = this.#tierIndex.get(tier);
    return i === undefined ? 0.5 : (this.cluster(cluster).tiers[i]?.accuracy ?? 0.5);
  }

  /** Scores (query, response, tier) for a query already placed in `cluster`. */
  estimate(query: string, response: string, tier: string, cluster: number): QeEstimate {
    const c = this.cluster(cluster);
    const prior = this.prior(cluster, tier);
    const x = qeFeatures(this.artifact.qe.features, { prompt: query, response, tier, prior, answerText: c.answerText }, this.#scratch);
    const raw = predictLogistic(this.artifact.qe.model, x);
    return { probability: applyIsotonic(this.artifact.qe.calibration, raw), raw, cluster, prior };
  }
}
