import {
  ARTIFACT_SCHEMA,
  ARTIFACT_SCHEMA_VERSION,
  type ArtifactCluster,
  type EmbedderSpec,
  type QeFeatureSpec,
  type RoutingArtifact,
  TRAINED_SCORER,
  qeFeatureNames,
} from "@weir/routing";
import { clusterTierStats, round } from "./cluster-stats.js";
import type { KFit } from "./fit-k.js";
import { tierMeanCost, type PreparedData } from "./prepared-data.js";
import { startOptions } from "./sweep.js";

export interface BuildArtifactInput {
  readonly fit: KFit;
  readonly d: PreparedData;
  readonly embedder: EmbedderSpec;
  readonly features: QeFeatureSpec;
  readonly thresholds: readonly number[];
  /** Thresholds for clusters without answer text. */
  readonly thresholdsWithoutText: readonly number[];
  readonly beta: number;
  readonly priorWeight: number;
  readonly createdAt: string;
  readonly dataHash: string;
  readonly settings: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
}

/** Assembles the artifact router and judge load, from one k's fit and the chosen operating point. */
export function buildArtifact(b: BuildArtifactInput): RoutingArtifact {
  const { fit, d } = b;
  const T = d.tiers.length;
  const unit = tierMeanCost(d, T - 1);
  const all = Array.from({ length: d.n }, (_, i) => i);
  const options = startOptions(d, all, fit.assign, fit.k, fit.qe.probOOF, (c) => (fit.answerText[c] ? b.thresholds : b.thresholdsWithoutText), b.priorWeight, unit);
  const names = d.tiers.map((t) => t.name);
  const bySource: Map<string, number>[] = Array.from({ length: fit.k }, () => new Map());
  for (let i = 0; i < d.n; i++) {
    const m = bySource[fit.assign[i]!]!;
    m.set(d.sources[i]!, (m.get(d.sources[i]!) ?? 0) + 1);
  }
  const clusters: ArtifactCluster[] = Array.from({ length: fit.k }, (_, c) => {
    const size = fit.counts.size[c]!;
    const top = [...bySource[c]!.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const sources = Object.fromEntries(top.map(([s, n]) => [s, round(n / Math.max(1, size), 3)]));
    return {
      id: c,
      size,
      label: top[0]?.[0] ?? "empty",
      sources,
      answerText: fit.answerText[c]!,
      tiers: clusterTierStats(fit.counts, c, names, b.priorWeight),
      starts: options[c]!,
    };
  });
  const thresholds = Object.fromEntries(names.slice(0, -1).map((t, i) => [t, b.thresholds[i]!]));
  const thresholdsWithoutText = Object.fromEntries(names.slice(0, -1).map((t, i) => [t, b.thresholdsWithoutText[i]!]));
  return {
    schema: ARTIFACT_SCHEMA,
    schemaVersion: ARTIFACT_SCHEMA_VERSION,
    createdAt: b.createdAt,
    dataHash: b.dataHash,
    settings: b.settings,
    tiers: d.tiers.map((t, i) => ({
      name: t.name,
      model: t.model,
      pricing: { inputPerMTok: t.inputPerMTok, outputPerMTok: t.outputPerMTok },
      priceSource: t.priceSource,
      meanCostUsd: Number(tierMeanCost(d, i).toPrecision(6)),
    })),
    embedder: b.embedder,
    centroids: Array.from({ length: fit.k }, (_, c) => Array.from(fit.centroids.subarray(c * fit.dims, (c + 1) * fit.dims), (x) => round(x, 5))),
    clusters,
    budget: {
      beta: b.beta,
      costUnit: `mean cost of one request on the strongest tier (${names[T - 1]}) over the training rows`,
      costUnitUsd: Number(unit.toPrecision(6)),
    },
    qe: {
      scorer: TRAINED_SCORER,
      features: b.features,
      featureNames: qeFeatureNames(b.features),
      model: {
        weights: fit.qe.model.weights.map((w) => round(w, 6)),
        intercept: round(fit.qe.model.intercept, 6),
        mean: fit.qe.model.mean.map((w) => round(w, 6)),
        scale: fit.qe.model.scale.map((w) => round(w, 6)),
      },
      calibration: { kind: "isotonic", x: fit.qe.calibration.x.map((x) => round(x, 6)), y: fit.qe.calibration.y.map((y) => round(y, 6)) },
      thresholds,
      thresholdsWithoutText,
    },
    metrics: b.metrics,
  };
}
