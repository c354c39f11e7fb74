import { eligibleInstances } from "./eligible-instances.js";
import type { WarmupRule } from "./placement-options.js";
import type { PlacementPolicy } from "./placement-policy.js";
import { TierTurns } from "./tier-turns.js";

/**
 * round-robin: each tier's eligible instances (in instanceId order) take
 * turns, blind to load and cache. The baseline every serving benchmark quotes.
 */
export function createRoundRobinPolicy(warmup: WarmupRule): PlacementPolicy {
  const turns = new TierTurns();
  return {
    name: "round-robin",
    usesPrefixIndex: false,
    pick(instances, req) {
      const eligible = eligibleInstances(instances, req, warmup);
      if (eligible.length === 0) return undefined;
      const instance = eligible[turns.next(req.tier, eligible.length)]!;
      return { instance, cachedBlocks: req.cachedBlocks?.get(instance.instanceId) ?? 0, reason: "round-robin turn" };
    },
  };
}
