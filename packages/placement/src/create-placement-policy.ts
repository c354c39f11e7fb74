import { createLengthAwarePolicy } from "./length-aware-policy.js";
import { LengthGroupPlanner } from "./length-group-planner.js";
import { createLeastLoadedPlacementPolicy } from "./least-loaded-placement-policy.js";
import { OutputLengthEstimator } from "./output-length-estimator.js";
import { type PlacementPolicyOptions, DEFAULT_WARMUP_MAX_LOAD, DEFAULT_WARMUP_MAX_QUEUED_PREFILL_TOKENS, type WarmupRule, resolvePrefixWeights } from "./placement-options.js";
import type { PlacementPolicy, PlacementPolicyName } from "./placement-policy.js";
import { createPrefixAwarePolicy } from "./prefix-aware-policy.js";
import { createRoundRobinPolicy } from "./round-robin-policy.js";

/**
 * A fresh policy by name. Each call returns independent state (round-robin
 * turns, length histograms, output-length estimates), so one process can
 * run several side by side.
 */
export function createPlacementPolicy(name: PlacementPolicyName, options: PlacementPolicyOptions = {}): PlacementPolicy {
  const warmup: WarmupRule = {
    maxLoad: options.warmupMaxLoad ?? DEFAULT_WARMUP_MAX_LOAD,
    maxQueuedPrefillTokens: options.warmupMaxQueuedPrefillTokens ?? DEFAULT_WARMUP_MAX_QUEUED_PREFILL_TOKENS,
  };
  switch (name) {
    case "round-robin":
      return createRoundRobinPolicy(warmup);
    case "least-loaded":
      return createLeastLoadedPlacementPolicy(warmup);
    case "prefix-aware":
      return createPrefixAwarePolicy(resolvePrefixWeights(options.prefix), warmup);
    case "length-aware":
    case "prefix-length-aware":
      return createLengthAwarePolicy(name, {
        planner: new LengthGroupPlanner(options.lengthGroups, options.now),
        estimator: new OutputLengthEstimator(options.outputLength),
        warmup,
        // Across groups, queued prefill counts in full: it is the work a group has to get through.
        work: { ...resolvePrefixWeights(options.prefix), queuedPrefillWeight: 1 },
        ...(name === "prefix-length-aware" ? { prefix: resolvePrefixWeights(options.prefix) } : {}),
      });
  }
}
