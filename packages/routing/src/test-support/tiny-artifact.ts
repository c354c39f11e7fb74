import { ARTIFACT_SCHEMA, ARTIFACT_SCHEMA_VERSION, type RoutingArtifact } from "../artifact.js";
import { HashedTfidfEmbedder } from "../hashed-tfidf-embedder.js";
import { qeFeatureCount, qeFeatureNames, type QeFeatureSpec } from "../qe-features.js";

export const MATH = [
  "James runs 3 sprints 3 times a week. He runs 60 meters each sprint. How many meters does he run a week?",
  "A baker sells 12 cakes for $5 each. How much money does she make?",
  "Tom has 4 boxes with 6 apples in each box. How many apples does he have?",
];
export const TRIVIA = [
  "Which of the following best describes the structure that collects urine in the body?\nA. Bladder\nB. Kidney\nC. Ureter\nD. Urethra\nAnswer:",
  "Which anatomical region of the abdomen lies just distal to the sternum?\nA. Epigastric\nB. Hypochondriac\nC. Hypogastric\nD. Lumbar\nAnswer:",
  "The primary motor cortex is located in which lobe?\nA. Frontal\nB. Parietal\nC. Temporal\nD. Occipital\nAnswer:",
];

/**
 * A small valid artifact: two clusters (math word problems → start small,
 * multiple-choice anatomy → start large), a QE that mostly reads the
 * arithmetic verifier, threshold 0.5 on the small tier.
 */
export function tinyArtifact(overrides: Partial<RoutingArtifact> = {}): RoutingArtifact {
  const embedder = HashedTfidfEmbedder.fit([...MATH, ...TRIVIA], { dims: 32, bucketBits: 10, seed: 7, nonZeros: 4, wordNgrams: 2, charNgrams: [3, 4], charWeight: 0.5 });
  const mean = (texts: string[]): number[] => {
    const vs = texts.map((t) => embedder.embedSync(t));
    return Array.from({ length: 32 }, (_, j) => vs.reduce((s, v) => s + v[j]!, 0) / vs.length);
  };
  const features: QeFeatureSpec = { tiers: ["small", "large"], hashDims: 0, seed: 1 };
  const names = qeFeatureNames(features);
  const n = qeFeatureCount(features);
  const weights = new Array<number>(n).fill(0);
  weights[names.indexOf("eq_any_wrong")] = -3;
  weights[names.indexOf("final_marked")] = 1;
  weights[names.indexOf("prior_logit")] = 1;
  return {
    schema: ARTIFACT_SCHEMA,
    schemaVersion: ARTIFACT_SCHEMA_VERSION,
    createdAt: "2025-01-01T00:00:00.000Z",
    dataHash: "sha256:test",
    settings: { note: "test fixture" },
    tiers: [
      { name: "small", model: "m-small", pricing: { inputPerMTok: 0.6, outputPerMTok: 0.6 }, priceSource: "test", meanCostUsd: 0.0001 },
      { name: "large", model: "m-large", pricing: { inputPerMTok: 10, outputPerMTok: 30 }, priceSource: "test", meanCostUsd: 0.005 },
    ],
    embedder: embedder.spec,
    centroids: [mean(MATH), mean(TRIVIA)],
    clusters: [
      {
        id: 0,
        size: 3,
        label: "gsm8k",
        sources: { gsm8k: 1 },
        answerText: true,
        tiers: [
          { tier: "small", correct: 2, n: 3, accuracy: 0.71, lo: 0.2, hi: 0.94 },
          { tier: "large", correct: 3, n: 3, accuracy: 0.9, lo: 0.44, hi: 1 },
        ],
        starts: [
          { tier: "small", accuracy: 0.86, cost: 0.4 },
          { tier: "large", accuracy: 0.9, cost: 1 },
        ],
      },
      {
        id: 1,
        size: 3,
        label: "mmlu/anatomy",
        sources: { "mmlu/anatomy": 1 },
        answerText: false,
        tiers: [
          { tier: "small", correct: 1, n: 3, accuracy: 0.4, lo: 0.06, hi: 0.79 },
          { tier: "large", correct: 3, n: 3, accuracy: 0.85, lo: 0.44, hi: 1 },
        ],
        starts: [
          { tier: "small", accuracy: 0.5, cost: 0.7 },
          { tier: "large", accuracy: 0.85, cost: 1 },
        ],
      },
    ],
    budget: { beta: 0.2, costUnit: "test", costUnitUsd: 0.005 },
    qe: {
      scorer: "trained-qe-v1",
      features,
      featureNames: names,
      model: { weights, intercept: 0, mean: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) },
      calibration: { kind: "isotonic", x: [0, 1], y: [0, 1] },
      thresholds: { small: 0.5 },
    },
    metrics: {},
    ...overrides,
  };
}
