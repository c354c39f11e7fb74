import { ClusterMixDrift, type RoutingModel, lastUserTurn, noveltyOf } from "@weir/routing";

/** What the judge measured about one request before judging it. */
export interface RequestSignalValues {
  /** The nearest cluster (undefined without a routing model). */
  readonly cluster?: number;
  /** Cosine distance to the nearest centroid, 0..1. */
  readonly novelty?: number;
  /** Total variation distance of the recent cluster mix from training's, 0..1. */
  readonly drift?: number;
}

/**
 * L5 novelty and drift, from the routing model the judge already serves with
 * (scorer trained). Without one there are no clusters: nothing is measured.
 * The drift window restarts when the artifact is reloaded (its clusters are
 * other clusters).
 */
export class RequestSignals {
  readonly #window: number;
  #model: RoutingModel | undefined;
  #drift: ClusterMixDrift | undefined;

  constructor(driftWindow: number) {
    this.#window = driftWindow;
  }

  /** The nearest cluster of a prompt, without counting it towards drift (shadow outcomes are not traffic). */
  async clusterOf(model: RoutingModel | undefined, prompt: string): Promise<number | undefined> {
    if (model === undefined) return undefined;
    return model.clusterOf(lastUserTurn(prompt));
  }

  /** Novelty and cluster of a request being judged, which also enters the drift window. */
  async observe(model: RoutingModel | undefined, prompt: string): Promise<RequestSignalValues> {
    if (model === undefined) return {};
    if (model !== this.#model) {
      this.#model = model;
      this.#drift = new ClusterMixDrift(
        model.artifact.clusters.map((c) => c.size),
        this.#window,
      );
    }
    const query = lastUserTurn(prompt);
    const v = model.embedder.embedSync?.(query) ?? (await model.embedder.embed([query]))[0];
    if (v === undefined) return {};
    const { cluster, novelty } = noveltyOf(v, model.artifact.centroids);
    const drift = this.#drift!.observe(cluster);
    return { cluster, novelty, drift };
  }
}
