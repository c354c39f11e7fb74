// @weir/sim: a simulated vLLM-style engine (continuous batching, chunked
// prefill, paged KV cache with prefix reuse, eviction and preemption, roofline
// step time), in real time behind the Engine interface and in virtual time
// for planners and benchmarks. See README.md for the model and its sources.
export { GPUS, H100_SXM, H200_SXM, type GpuSpec } from "./hardware.js";
export {
  LLAMA_3_1_70B,
  LLAMA_3_1_8B,
  MIXTRAL_8X7B,
  MODELS,
  activeParams,
  expertFractionRead,
  type MixtureOfExperts,
  type ModelSpec,
} from "./models.js";
export {
  ACTIVATION_RESERVE_BYTES_PER_GPU,
  type KvCacheDtype,
  type KvCapacityInput,
  kvBytesPerToken,
  kvCapacityTokens,
  weightBytes,
  KV_PRECISIONS,
  type KvPrecision,
} from "./kv-memory.js";
export { KvBlockLayout, type TokenRange } from "./kv-block-layout.js";
export {
  DEFAULT_CALIBRATION,
  type RooflineCalibration,
  type StepShape,
  StepTimeModel,
  singleSequenceShape,
} from "./roofline.js";
export { type Preset, getPreset, listPresets, presetId, TENSOR_PARALLEL_DEGREES } from "./presets.js";
export { type InstanceConfig, SIM_DEFAULTS, type SimInstanceOptions, resolveInstanceConfig } from "./instance-config.js";
export { type RequestPhase, SimRequest, type SimRequestSpec, promptBlockHashes } from "./sim-request.js";
export type { EngineCoreListener, EngineCoreOptions } from "./engine-core.js";
export { EngineCore } from "./engine-core.js";
export {
  type ArrivingRequest,
  type MigratingRequest,
  type MigrationHook,
  type Placement,
  type PlacementChoice,
  type RequestResult,
  VirtualCluster,
  type VirtualClusterOptions,
} from "./virtual-cluster.js";
export { type Distribution, type ResultSummary, summarizeResults } from "./result-summary.js";
export { type HashIdOptions, hashIdsToBlockHashes } from "./hash-ids.js";
export type { HistogramSnapshot } from "./histogram.js";
export {
  ITL_BUCKETS_S,
  REQUEST_LATENCY_BUCKETS_S,
  SIM_METRIC_INFO,
  type SimMetricName,
  type SimMetricsSnapshot,
  TTFT_BUCKETS_S,
} from "./metrics.js";
export { type Clock, ScaledWallClock } from "./clock.js";
export { EventQueue } from "./event-queue.js";
export { RealTimeDriver, type RealTimeDriverOptions } from "./real-time-driver.js";
export { SimEngine, type SimEngineParts } from "./sim-engine.js";
export { type SimEngineOptions, createSimEngine } from "./create-sim-engine.js";
export {
  DEFAULT_OUTPUT_LENGTHS,
  type OutputLengthDistribution,
  type OutputSource,
  type ResolvedOutput,
  fillerTokens,
  resolveOutput,
} from "./output-text.js";
export { type TextTokenizer, type TokenizedText, llama3Tokenizer, tokenizeText } from "./tokenized-text.js";
export { type TimedSpec, traceSpecs } from "./trace-specs.js";
