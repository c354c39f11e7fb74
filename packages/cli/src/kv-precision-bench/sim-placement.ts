// The scheduler's own placement policies (@weir/placement) deciding where
// simulated requests go: each simulated instance's live state becomes the
// LiveInstance its heartbeat would give, and its own prefix cache answers
// the prefix-index lookup. Round-robin is the default of kv-precision-bench:
// its choices do not depend on the instances' state, so every KV precision
// sees exactly the same requests on the same instances.

import { type PlacementPolicy, type PlacementPolicyName, type LiveInstance, createPlacementPolicy } from "@weir/placement";
import type { EngineCore, Placement } from "@weir/sim";

/** The policies the bench offers: those that need no length-group planning. */
export const BENCH_POLICIES = ["round-robin", "least-loaded", "prefix-aware"] as const satisfies readonly PlacementPolicyName[];
export type BenchPolicyName = (typeof BENCH_POLICIES)[number];

export function isBenchPolicy(name: string): name is BenchPolicyName {
  return (BENCH_POLICIES as readonly string[]).includes(name);
}

const TIER = "sim";

/** Instance ids that sort in index order (policies order ties by id). */
export function simInstanceId(index: number): string {
  return `sim-${String(index + 1).padStart(4, "0")}`;
}

/** A fresh placement (its own round-robin turns) for one run. */
export function createSimPlacement(name: BenchPolicyName, blockSize: number): Placement {
  return placementFromPolicy(createPlacementPolicy(name), blockSize);
}

export function placementFromPolicy(policy: PlacementPolicy, blockSize: number): Placement {
  return (req, instances, nowMs) => {
    const live = instances.map((core, i) => liveInstance(core, i, nowMs));
    let cachedBlocks: Map<string, number> | undefined;
    if (policy.usesPrefixIndex) {
      cachedBlocks = new Map();
      for (let i = 0; i < instances.length; i++) cachedBlocks.set(simInstanceId(i), instances[i]!.matchPrefix(req.blockHashes));
    }
    const decision = policy.pick(live, {
      tier: TIER,
      promptTokens: req.spec.promptTokens,
      blockSize,
      ...(cachedBlocks === undefined ? {} : { cachedBlocks }),
    });
    if (decision === undefined) throw new Error(`placement ${policy.name} found no instance for request ${req.spec.id}`);
    return live.indexOf(decision.instance);
  };
}

function liveInstance(core: EngineCore, index: number, nowMs: number): LiveInstance {
  const load = core.load();
  return {
    instanceId: simInstanceId(index),
    tier: TIER,
    address: "",
    model: core.config.preset.id,
    engine: "sim",
    running: load.running,
    waiting: load.waiting,
    maxConcurrency: load.maxConcurrency,
    kvUsage: load.kvUsage,
    kvBlocksTotal: load.kvBlocksTotal ?? core.config.numBlocks,
    waitingPromptTokens: load.waitingPromptTokens ?? 0,
    maxWaiting: 0,
    lastSeenMs: nowMs,
    inflight: 0,
  };
}
