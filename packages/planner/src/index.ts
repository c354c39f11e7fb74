// @weir/planner: Cascadia's deployment planner. The inner level chooses, for
// fixed thresholds, each tier's replicas × tensor-parallel degree within N
// GPUs with a HiGHS MILP over latencies simulated by @weir/sim in virtual
// time. See docs/notes/planner.md for the model and the formulation.
export { type Deployment, type TierDeployment } from "./deployment.js";
export {
  DEFAULT_MIN_KV_TOKENS,
  DEFAULT_TENSOR_PARALLEL_DEGREES,
  type DeploymentOption,
  type EnumerateOptionsInput,
  enumerateDeploymentOptions,
  minimumGpus,
  optionKey,
  replicaKvCapacity,
} from "./deployment-option.js";
export {
  type Candidate,
  type InnerMilpInput,
  type InnerMilpResult,
  type InnerObjective,
  type TierCandidates,
  type TierChoice,
  solveInnerMilp,
} from "./inner-milp.js";
export { LATENCY_MODEL_VERSION, LatencyCache } from "./latency-cache.js";
export {
  DEFAULT_LATENCY_METRIC,
  type LatencyMeasure,
  type LatencyMetric,
  type LatencySlo,
  type LatencyStatistic,
  type Percentiles,
  type TierLatency,
  latencyOf,
} from "./latency-summary.js";
export { type LinearTerm, type MilpConstraint, type MilpModel, type MilpSolution, type MilpVariable, type VariableKind, term } from "./milp-model.js";
export {
  type CandidateFigures,
  DEFAULT_REALLOCATION_COST_PER_GPU,
  type DeploymentPlan,
  type PlanDeploymentInput,
  type PlanTierInput,
  type TierPlan,
  planDeployment,
} from "./plan-deployment.js";
export { type Parallelism, gpusMoved } from "./reallocation.js";
export { type SimSettings } from "./sim-settings.js";
export { MilpError, type MilpFailure, type SolveMilpOptions, solveMilp } from "./solve-milp.js";
export { splitTraffic } from "./split-traffic.js";
export { TierLatencyModel, type TierTraffic, tierTraffic } from "./tier-latency-model.js";
export { trafficFingerprint } from "./traffic-fingerprint.js";
export * from "./outer/index.js";
