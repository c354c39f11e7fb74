import type { StartOption } from "./assignment.js";
import type { EmbedderSpec } from "./embedder.js";
import type { IsotonicCalibration } from "./isotonic.js";
import type { LogisticModel } from "./logistic.js";
import type { QeFeatureSpec } from "./qe-features.js";

/** The file router and qe-judge load from an artifacts directory. */
export const ARTIFACT_FILE = "routing.json";
export const ARTIFACT_SCHEMA = "weir-routing-artifact";
export const ARTIFACT_SCHEMA_VERSION = 1;

/** A tier as the trainer saw it: which dataset model played it and what it costs. */
export interface ArtifactTier {
  /** Tier name; must match a tier of weir.yaml to be served. */
  readonly name: string;
  /** The dataset model whose recorded answers played this tier. */
  readonly model: string;
  /** USD per million tokens. */
  readonly pricing: { readonly inputPerMTok: number; readonly outputPerMTok: number };
  /** Where the prices come from (a sentence with the source and its date). */
  readonly priceSource: string;
  /** Mean cost of one request on this tier alone over the training rows, USD. */
  readonly meanCostUsd: number;
}

/** One tier's record on one cluster (training rows). */
export interface ClusterTierStats {
  readonly tier: string;
  /** Correct answers / rows of the cluster. */
  readonly correct: number;
  readonly n: number;
  /** Accuracy shrunk towards the tier's overall accuracy (Beta prior): the QE's prior feature. */
  readonly accuracy: number;
  /** 95% Wilson interval of correct / n. */
  readonly lo: number;
  readonly hi: number;
}

export interface ArtifactCluster {
  readonly id: number;
  /** Training rows in the cluster. */
  readonly size: number;
  /** What the cluster holds, for people: its most common data source, e.g. "gsm8k" or "mmlu/anatomy". */
  readonly label: string;
  /** Share of the cluster's rows from each of its most common sources. */
  readonly sources: Readonly<Record<string, number>>;
  /** Whether its training rows had answer text (the QE reads responses only then). */
  readonly answerText: boolean;
  readonly tiers: readonly ClusterTierStats[];
  /**
   * Starting the ladder at each tier, cheapest first: the cascade's expected
   * accuracy and normalised cost on this cluster at the artifact's
   * thresholds. The router picks argmax accuracy − β × cost.
   */
  readonly starts: readonly StartOption[];
}

export interface RoutingArtifact {
  readonly schema: typeof ARTIFACT_SCHEMA;
  readonly schemaVersion: typeof ARTIFACT_SCHEMA_VERSION;
  readonly createdAt: string;
  /** sha256 of the training data (prompts, labels, responses) in a canonical order. */
  readonly dataHash: string;
  /** Everything the trainer was told and chose (seed, split, k, β, target, …): free-form for people. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Cheapest first: the ladder order. */
  readonly tiers: readonly ArtifactTier[];
  readonly embedder: EmbedderSpec;
  /** k rows of embedder.dims numbers. */
  readonly centroids: readonly (readonly number[])[];
  readonly clusters: readonly ArtifactCluster[];
  readonly budget: {
    /** The β the artifact's assignment was chosen with (router.budget overrides it). */
    readonly beta: number;
    /** What cost 1.0 means (e.g. the strongest tier's mean cost per request). */
    readonly costUnit: string;
    readonly costUnitUsd: number;
  };
  readonly qe: {
    readonly scorer: string;
    readonly features: QeFeatureSpec;
    readonly featureNames: readonly string[];
    readonly model: LogisticModel;
    readonly calibration: IsotonicCalibration;
    /** Accept threshold per tier when it is a non-final rung (clusters with answer text). */
    readonly thresholds: Readonly<Record<string, number>>;
    /**
     * Thresholds for clusters trained without answer text, where the QE reads
     * only the question; absent: `thresholds` apply everywhere.
     */
    readonly thresholdsWithoutText?: Readonly<Record<string, number>>;
  };
  /** Headline held-out figures (the full report is report.json beside it). */
  readonly metrics: Readonly<Record<string, unknown>>;
}
