import { auc, chooseStart, expectedCalibrationError, type RoutingModel } from "@weir/routing";
import { replay, type CascadeTotals } from "./cascade-sim.js";
import type { PreparedData } from "./prepared-data.js";

/** What `weir eval` reports for an artifact on a labelled data set. */
export interface EvalReport {
  readonly rows: number;
  readonly tiers: string[];
  /** The cascade's accuracy. */
  readonly accuracy: number;
  /** Accuracy of always using the strongest tier on the same rows. */
  readonly strongestAccuracy: number;
  /** accuracy / strongestAccuracy. */
  readonly relativeAccuracy: number;
  /** Share of requests that reached each tier (generated an answer there). */
  readonly reached: Record<string, number>;
  /** Share of requests answered by each tier. */
  readonly answeredBy: Record<string, number>;
  /** Share of requests that never reached the strongest tier. */
  readonly neverStrongest: number;
  /** Cost relative to always using the strongest tier (1 = same cost). */
  readonly costRelative: number;
  /** 1 − costRelative. */
  readonly costSaving: number;
  readonly costUsd: number;
  readonly beta: number;
  readonly thresholds: Record<string, number>;
  /** Thresholds in clusters trained without answer text (when the artifact has its own for them). */
  readonly thresholdsWithoutText?: Record<string, number>;
  /** The QE on every judged (row, tier): discrimination and calibration. */
  readonly qe: { readonly pairs: number; readonly auc: number | null; readonly ece: number };
  /** The same figures per data source group ("gsm8k", "mmlu"), when there are several. */
  readonly bySource?: Record<string, Omit<EvalReport, "bySource" | "tiers" | "beta" | "thresholds" | "thresholdsWithoutText">>;
}

/** Per-row routing inputs computed once: the cluster and the QE probability of every judged tier. */
export interface ScoredRows {
  readonly clusters: Int32Array;
  /** probs[i * T + t]; 1 for the last tier. */
  readonly probs: Float64Array;
}

/** Clusters and QE-scores every row with the serving code (RoutingModel). */
export async function scoreRows(model: RoutingModel, d: PreparedData): Promise<ScoredRows> {
  const T = d.tiers.length;
  const clusters = new Int32Array(d.n);
  const probs = new Float64Array(d.n * T).fill(1);
  const vectors = await model.embedder.embed(d.prompts);
  for (let i = 0; i < d.n; i++) {
    const c = model.clusterOfVector(vectors[i]!);
    clusters[i] = c;
    for (let t = 0; t < T - 1; t++) {
      probs[i * T + t] = model.estimate(d.prompts[i]!, d.responses[i * T + t]!, d.tiers[t]!.name, c).probability;
    }
  }
  return { clusters, probs };
}

/**
 * Replays the artifact's cascade on labelled rows: each row starts at its
 * cluster's tier under β, and escalates when QE(prompt, the tier's recorded
 * answer, tier) < threshold(tier). Tiers of `d` must be the artifact's.
 */
export async function evaluateModel(model: RoutingModel, d: PreparedData, opts: { beta?: number } = {}): Promise<EvalReport> {
  const names = d.tiers.map((t) => t.name);
  const artifactNames = model.tierNames();
  if (names.join(",") !== artifactNames.join(",")) {
    throw new Error(`the data's tiers (${names.join(", ")}) are not the artifact's (${artifactNames.join(", ")})`);
  }
  const beta = opts.beta ?? model.artifact.budget.beta;
  const scored = await scoreRows(model, d);
  const startOfCluster = Array.from({ length: model.k }, (_, c) => chooseStart(model.cluster(c).starts, beta));
  const thresholdsOfCluster = Array.from({ length: model.k }, (_, c) => names.map((t, i) => (i === names.length - 1 ? 0 : model.threshold(t, c))));
  const thresholds = names.map((t, i) => (i === names.length - 1 ? 0 : model.threshold(t)));
  const withoutText = model.artifact.qe.thresholdsWithoutText;
  const all = Array.from({ length: d.n }, (_, i) => i);
  const summarise = (rows: number[]): Omit<EvalReport, "bySource" | "tiers" | "beta" | "thresholds" | "thresholdsWithoutText"> =>
    summary(d, rows, replay(d, rows, (i) => startOfCluster[scored.clusters[i]!]!, scored.probs, (i) => thresholdsOfCluster[scored.clusters[i]!]!), scored.probs);
  const groups = new Map<string, number[]>();
  all.forEach((i) => {
    const g = d.sources[i]!.split("/")[0]!;
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  return {
    ...summarise(all),
    tiers: names,
    beta,
    thresholds: Object.fromEntries(names.slice(0, -1).map((t, i) => [t, thresholds[i]!])),
    ...(withoutText === undefined ? {} : { thresholdsWithoutText: { ...withoutText } }),
    ...(groups.size > 1 ? { bySource: Object.fromEntries([...groups].map(([g, rows]) => [g, summarise(rows)])) } : {}),
  };
}

function summary(d: PreparedData, rows: number[], r: CascadeTotals, probs: Float64Array): Omit<EvalReport, "bySource" | "tiers" | "beta" | "thresholds" | "thresholdsWithoutText"> {
  const T = d.tiers.length;
  const names = d.tiers.map((t) => t.name);
  let strongest = 0;
  for (const i of rows) strongest += d.correct[i * T + T - 1]!;
  const strongestAccuracy = rows.length === 0 ? 0 : strongest / rows.length;
  const ps: number[] = [];
  const ys: number[] = [];
  for (const i of rows) {
    for (let t = 0; t < T - 1; t++) {
      ps.push(probs[i * T + t]!);
      ys.push(d.correct[i * T + t]!);
    }
  }
  const a = auc(ps, ys);
  return {
    rows: rows.length,
    accuracy: r4(r.accuracy),
    strongestAccuracy: r4(strongestAccuracy),
    relativeAccuracy: r4(strongestAccuracy === 0 ? 0 : r.accuracy / strongestAccuracy),
    reached: Object.fromEntries(names.map((n, t) => [n, r4(r.reached[t]!)])),
    answeredBy: Object.fromEntries(names.map((n, t) => [n, r4(r.answered[t]!)])),
    neverStrongest: r4(1 - r.reached[T - 1]!),
    costRelative: r4(r.costRelative),
    costSaving: r4(1 - r.costRelative),
    costUsd: Number(r.costUsd.toPrecision(6)),
    qe: { pairs: ps.length, auc: Number.isNaN(a) ? null : r4(a), ece: r4(expectedCalibrationError(ps, ys)) },
  };
}

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

