import type { WarmupRule } from "./placement-options.js";
import { byInstanceId, eligibleInstances } from "./eligible-instances.js";
import { instanceLoad } from "./instance-load.js";
import type { LiveInstance } from "./live-instance.js";
import type { PlacementDecision, PlacementPolicy, PlacementRequest } from "./placement-policy.js";
import { TierTurns } from "./tier-turns.js";

/**
 * least-loaded: lowest (running+waiting+inflight)/maxConcurrency, then the
 * most cached prefix blocks, then round-robin (per tier) over what is still
 * tied. Cache hits only break ties, so it never queues behind a busy
 * instance for a hit; prefix-aware weighs the two.
 */
export function createLeastLoadedPlacementPolicy(warmup: WarmupRule): PlacementPolicy {
  const turns = new TierTurns();
  return {
    name: "least-loaded",
    usesPrefixIndex: true,
    pick(instances, req) {
      return pickLeastLoaded(eligibleInstances(instances, req, warmup), req, turns);
    },
  };
}

/** Least-loaded over instances already filtered for eligibility (also used within a length group). */
export function pickLeastLoaded(
  eligible: readonly LiveInstance[],
  req: PlacementRequest,
  turns: TierTurns,
  turnKey: string = req.tier,
): PlacementDecision | undefined {
  const candidates = leastLoadedCandidates(eligible, req.cachedBlocks);
  if (candidates.length === 0) return undefined;
  const instance = candidates.length === 1 ? candidates[0]! : candidates[turns.next(turnKey, candidates.length)]!;
  const cachedBlocks = req.cachedBlocks?.get(instance.instanceId) ?? 0;
  const tie = candidates.length > 1 ? `, round-robin over ${candidates.length} tied` : "";
  return {
    instance,
    cachedBlocks,
    reason: `least loaded (${instanceLoad(instance).toFixed(2)} of capacity, ${cachedBlocks} cached blocks${tie})`,
  };
}

/**
 * Every instance tied for best, in instanceId order: lowest load first, then,
 * among equal loads, most cached blocks. Empty when none is given. The
 * caller filters eligibility (eligible-instances.ts).
 */
export function leastLoadedCandidates(
  instances: readonly LiveInstance[],
  cachedBlocks?: ReadonlyMap<string, number>,
): LiveInstance[] {
  let best: LiveInstance[] = [];
  let bestLoad = Infinity;
  let bestCached = -1;
  for (const instance of instances) {
    const load = instanceLoad(instance);
    const blocks = cachedBlocks?.get(instance.instanceId) ?? 0;
    if (load < bestLoad || (load === bestLoad && blocks > bestCached)) {
      best = [instance];
      bestLoad = load;
      bestCached = blocks;
    } else if (load === bestLoad && blocks === bestCached) {
      best.push(instance);
    }
  }
  // A fixed order, so that round-robin over ties does not depend on the
  // order the caller listed the instances in.
  return best.sort(byInstanceId);
}
