// @weir/routing: the online routing and quality policies, and the pieces the
// trainer shares with them (embedder, clustering, QE features, calibration),
// so that training and serving compute the same thing.
//
// Policies: StaticLadderRouter and PlaceholderJudge (the fallbacks), and the
// learned ones from "Cluster, Route, Escalate": LearnedRouter (clusters +
// budget β) and TrainedJudge (calibrated QE), both driven by a trained
// artifact (see artifact.ts). LlmJudge is an optional judge model.
export { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";
export { STATIC_LADDER_POLICY, StaticLadderRouter, type StaticLadderRouterOptions } from "./static-ladder-router.js";
export { PLACEHOLDER_SCORER, PlaceholderJudge, PlaceholderScores, type PlaceholderJudgeOptions } from "./placeholder-judge.js";
export { LEARNED_POLICY, LearnedRouter, type LearnedRouterOptions, type PlanInput } from "./learned-router.js";
export { TRAINED_SCORER, TrainedJudge } from "./trained-judge.js";
export { DEFAULT_RUBRIC, LLM_JUDGE_SCORER, LlmJudge, type LlmJudgeOptions } from "./llm-judge.js";
export { RoutingModel, type QeEstimate } from "./routing-model.js";

export {
  ARTIFACT_FILE,
  ARTIFACT_SCHEMA,
  ARTIFACT_SCHEMA_VERSION,
  type ArtifactCluster,
  type ArtifactTier,
  type ClusterTierStats,
  type RoutingArtifact,
} from "./artifact.js";
export { ArtifactError } from "./artifact-error.js";
export { loadArtifact, parseArtifact, saveArtifact } from "./artifact-io.js";
export { watchArtifact, type ArtifactWatcher, type ArtifactWatcherOptions } from "./artifact-watcher.js";
export { watchPolicy, type PolicyWatcher, type PolicyWatcherHooks } from "./policy-watcher.js";
export { artifactProblems } from "./validate-artifact.js";

export type { Embedder, EmbedderSpec } from "./embedder.js";
export { DEFAULT_HASHED_TFIDF, HashedTfidfEmbedder, type HashedTfidfSettings, type HashedTfidfSpec } from "./hashed-tfidf-embedder.js";
export { OpenAiEmbedder, type OpenAiEmbedderOptions, type OpenAiEmbedderSpec } from "./openai-embedder.js";
export { createEmbedder, type CreateEmbedderOptions } from "./create-embedder.js";
export { kmeans, nearestCentroid, type KMeansOptions, type KMeansResult } from "./kmeans.js";
export { shrunkProportion, wilsonInterval, type Interval } from "./wilson.js";
export { assignClusters, chooseStart, type StartOption } from "./assignment.js";
export { fitLogistic, predictLogistic, sigmoid, type LogisticModel, type LogisticOptions } from "./logistic.js";
export { applyIsotonic, fitIsotonic, type IsotonicCalibration } from "./isotonic.js";
export { auc, expectedCalibrationError, logLoss } from "./classifier-metrics.js";
export { checkMath, type MathCheck } from "./gsm8k-verifier.js";
export { evaluateArithmetic } from "./arithmetic.js";
export { qeFeatureCount, qeFeatureNames, qeFeatures, type QeFeatureSpec, type QeInput } from "./qe-features.js";
export { lastUserTurn, queryText } from "./query-text.js";
export { cosine, l2normalize } from "./vector.js";
export { fnv1a, mix32, seededRandom } from "./hash.js";
export { resolveArtifactsDir } from "./artifacts-dir.js";
// L4 shadow verification and L5 control signals (docs/notes/shadow-signals.md).
export { OVERLAP_AGREEMENT, answersAgree, type Agreement } from "./answer-agreement.js";
export { ALL_CLUSTERS, QE_THRESHOLDS_BUCKET, thresholdKey, type ThresholdOverrides } from "./threshold-key.js";
export { ThresholdOverrideTable } from "./threshold-override-table.js";
export { ThresholdRecalibrator, type RecalibrationResult, type RecalibrationSettings } from "./threshold-recalibrator.js";
export {
  ClusterMixDrift,
  SIGNAL_KINDS,
  noveltyAdjustedThreshold,
  noveltyOf,
  type Novelty,
  type NoveltyRule,
  type SignalKind,
} from "./control-signals.js";

// SERR-CASCADE router layers (docs/notes/router-layers.md): L2 risk, L0 turn reuse, escalation memory.
export { DEFAULT_RISK_CATEGORIES, compileRiskCategories, type RiskCategory } from "./risk-lexicon.js";
export { RiskAssessor, type PastRisk, type RiskAssessorOptions, type RiskScore } from "./risk-assessor.js";
export { contentWords, matchRepeat, normaliseQuestion, type RepeatMatch } from "./turn-delta.js";
export { findReusableTurn, type ReuseCandidate } from "./turn-reuse.js";
export { rememberedEscalation, type EscalationMemoryOptions, type RememberedEscalation } from "./escalation-memory.js";
export type { ConversationTurnView, ConversationView } from "./conversation-view.js";
export { RiskAwareRouter, type Planner, type RiskAwareRouterOptions } from "./risk-aware-router.js";
// The deployment plan's cascade knob (weir plan --apply), applied by the routers at runtime.
export {
  KnobHolder,
  avoidIdleTiers,
  describeKnob,
  knobFromDeploymentPlan,
  shiftedThreshold,
  type DeploymentKnob,
  type DeploymentPlanKnobFields,
  type KnobFromPlan,
  type KnobSource,
} from "./deployment-knob.js";
