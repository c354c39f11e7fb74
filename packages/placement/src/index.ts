// @weir/placement: the live view of worker instances (from heartbeats) and
// the policy that picks one instance per generation.
export { InstanceRegistry, type InstanceRegistryOptions } from "./instance-registry.js";
export type { LiveInstance } from "./live-instance.js";
export { createPlacementPolicy } from "./create-placement-policy.js";
export { instanceLoad } from "./instance-load.js";
export { leastLoadedCandidates } from "./least-loaded-placement-policy.js";
export { noInstanceError, type NoInstanceDetail } from "./no-instance-error.js";
export {
  PLACEMENT_POLICY_NAMES,
  isPlacementPolicyName,
  type MigrationRequest,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementPolicyName,
  type PlacementRequest,
} from "./placement-policy.js";
export {
  DEFAULT_WARMUP_MAX_LOAD,
  type PlacementPolicyOptions,
  type PrefixCostWeights,
} from "./placement-options.js";
export { prefixCost, type PrefixCost } from "./prefix-cost.js";
export type { LengthGroupPlannerOptions } from "./length-group-planner-options.js";
export { LengthGroupPlanner, type PlannedGroup } from "./length-group-planner.js";
export { OutputLengthEstimator, type OutputLengthEstimatorOptions } from "./output-length-estimator.js";
export { partitionLengthGroups, type LengthPartition } from "./partition-length-groups.js";
export { requestLengthCost } from "./request-length-cost.js";
export { LENGTH_BIN_UPPER_BOUNDS, lengthBin } from "./length-bins.js";
