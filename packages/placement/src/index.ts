// @weir/placement: the live view of worker instances (from heartbeats) and
// the policy that picks one instance per generation.
export { InstanceRegistry, type InstanceRegistryOptions } from "./instance-registry.js";
export type { LiveInstance } from "./live-instance.js";
export {
  createLeastLoadedPolicy,
  instanceLoad,
  leastLoaded,
  leastLoadedCandidates,
  type LeastLoadedPolicy,
  type PlacementOptions,
} from "./least-loaded-policy.js";
export { noInstanceError, type NoInstanceDetail } from "./no-instance-error.js";
export { PLACEMENT_POLICY_NAMES, isPlacementPolicyName, type PlacementDecision, type PlacementPolicy, type PlacementPolicyName, type PlacementRequest } from "./placement-policy.js";
