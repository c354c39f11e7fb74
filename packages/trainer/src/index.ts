// @weir/trainer: `weir train` and `weir eval` as a library. Learns the
// routing artifact (clusters, per-cluster tier accuracies, budget β, QE model,
// calibration, thresholds) from labelled answers, and scores artifacts on
// labelled data by replaying the cascade.
export { train, type EmbedderChoice, type MethodResult, type TrainOptions, type TrainProgress, type TrainReport, type TrainResult } from "./train.js";
export { evaluateModel, scoreRows, type EvalReport, type ScoredRows } from "./evaluate.js";
export { DEFAULT_TIER_MAP, GPT4, MIXTRAL, ladderOrder, parseTierArg, type TierMapEntry } from "./tier-map.js";
export { dataHash, prepareData, type PreparedData, type PrepareOptions } from "./prepared-data.js";
export { mergeDatasets } from "./merge-datasets.js";
export { cascadeOutcome, replay, type CascadeTotals, type Outcome } from "./cascade-sim.js";
export { choosePoint, paretoFrontier, type SweepPoint } from "./sweep.js";
export { frontierSpec, renderFrontier } from "./frontier-plot.js";
export { formatEval, formatKSelection, formatMethods, table } from "./report-table.js";
export { progressBar } from "./progress.js";
export { evaluateArtifact } from "./evaluate-artifact.js";
// What the CLI needs from @weir/routing, so it does not depend on it directly.
export { ARTIFACT_FILE, ArtifactError, loadArtifact, saveArtifact, type RoutingArtifact } from "@weir/routing";
export { loadDatasetSpecs } from "./dataset-spec.js";
