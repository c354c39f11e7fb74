// @weir/datasets: loaders for the public data vendored in the repository's
// datasets/ folder — RouteLLM answers with correctness labels (GSM8K, MMLU),
// request arrival traces (Azure 2023, Mooncake) — deterministic splits, and
// replay of recorded answers for the simulated engine.
export { datasetPath, datasetsDir } from "./dataset-path.js";
export {
  type LabelledDataset,
  type LabelledRow,
  type LoadLabelledCsvOptions,
  type ParseLabelledCsvOptions,
  loadLabelledCsv,
  parseLabelledCsv,
} from "./labelled-dataset.js";
export { loadGsm8k, loadMmlu, mmluSubjects } from "./routellm.js";
export { normalizePrompt } from "./normalize-prompt.js";
export { type DatasetSplit, type SplitName, type SplitOptions, assignSplit, splitDataset } from "./split-dataset.js";
export { MOONCAKE_BLOCK_TOKENS, type TraceRequest } from "./trace-request.js";
export { loadTrace, parseTrace } from "./load-trace.js";
export { type ScaleTraceOptions, scaleTrace } from "./scale-trace.js";
export {
  ReplayIndex,
  type ReplayHit,
  type ReplayIndexOptions,
  type ReplayQuery,
  syntheticAnswer,
} from "./replay-index.js";
export { type OutputSource, createReplayOutputSource } from "./replay-output-source.js";
