// The trained cascade's routing inputs on a labelled data set, computed once:
// each row's cluster, the QE probability of every non-final tier's recorded
// answer, and which recorded answers are correct. The outer level replays
// the cascade from this many times (one per β and threshold shift) without
// embedding or scoring again. The replay follows `weir eval`
// (@weir/trainer's evaluateModel and cascadeOutcome) with the serving code
// (RoutingModel); the planner does not depend on the trainer, so the few
// lines of path logic live here, and a CLI test checks they agree.

import type { LabelledDataset } from "@weir/datasets";
import type { RoutingModel, StartOption } from "@weir/routing";

/** Plain data, so tests can build one by hand. Tiers are cheapest first; the last always answers. */
export interface ScoredCascade {
  tiers: string[];
  rows: number;
  /** Cluster of each row. */
  clusters: Int32Array;
  /** probs[i * T + t]: QE probability of tier t's recorded answer to row i (1 for the last tier). */
  probs: Float64Array;
  /** correct[i * T + t]: 1 when tier t's recorded answer to row i is correct. */
  correct: Uint8Array;
  /** Per cluster: the start options the budget knob β chooses between. */
  starts: StartOption[][];
  /** Per cluster, per tier: the artifact's accept threshold (the last tier's is 0). */
  thresholds: number[][];
  /** The artifact's own β. */
  beta: number;
}

/** Clusters and QE-scores every row, as `weir eval` does. The data must have a column for every tier's model. */
export async function scoreCascade(model: RoutingModel, ds: LabelledDataset): Promise<ScoredCascade> {
  const tiers = model.artifact.tiers;
  const T = tiers.length;
  const missing = tiers.filter((t) => !ds.models.includes(t.model));
  if (missing.length > 0) {
    throw new Error(`dataset ${ds.name} has no column for ${missing.map((t) => `${t.model} (tier ${t.name})`).join(", ")}`);
  }
  const n = ds.rows.length;
  const clusters = new Int32Array(n);
  const probs = new Float64Array(n * T).fill(1);
  const correct = new Uint8Array(n * T);
  const vectors = await model.embedder.embed(ds.rows.map((r) => r.prompt));
  ds.rows.forEach((row, i) => {
    const c = model.clusterOfVector(vectors[i]!);
    clusters[i] = c;
    tiers.forEach((tier, t) => {
      correct[i * T + t] = row.correct[tier.model] === true ? 1 : 0;
      if (t < T - 1) probs[i * T + t] = model.estimate(row.prompt, row.response[tier.model] ?? "", tier.name, c).probability;
    });
  });
  const names = model.tierNames();
  return {
    tiers: names,
    rows: n,
    clusters,
    probs,
    correct,
    starts: Array.from({ length: model.k }, (_, c) => model.cluster(c).starts.map((s) => ({ ...s }))),
    thresholds: Array.from({ length: model.k }, (_, c) => names.map((t, i) => (i === T - 1 ? 0 : model.threshold(t, c)))),
    beta: model.artifact.budget.beta,
  };
}
