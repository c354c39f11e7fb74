import type { WarmupRule } from "./placement-options.js";
import { eligibleInstances } from "./eligible-instances.js";
import type { LiveInstance } from "./live-instance.js";
import type { ResolvedPrefixCostWeights } from "./placement-options.js";
import { type PrefixCost, prefixCost } from "./prefix-cost.js";
import type { PlacementDecision, PlacementPolicy, PlacementRequest } from "./placement-policy.js";
import { TierTurns } from "./tier-turns.js";

/**
 * prefix-aware: the instance where this request's first token needs the
 * least work (prefix-cost.ts), so a long cached prefix wins unless the
 * instance holding it is busy enough to cost more than recomputing it.
 */
export function createPrefixAwarePolicy(weights: ResolvedPrefixCostWeights, warmup: WarmupRule): PlacementPolicy {
  const turns = new TierTurns();
  return {
    name: "prefix-aware",
    usesPrefixIndex: true,
    pick(instances, req) {
      return pickByPrefixCost(eligibleInstances(instances, req, warmup), req, weights, turns);
    },
  };
}

/**
 * The cheapest of already-eligible instances. Ties (equal cost) go to the
 * most cached blocks, then the lower load, then round-robin (per turnKey)
 * over whatever is still tied, so equal idle instances share traffic.
 * Instances at or above overloadCutoff are only considered when all are.
 */
export function pickByPrefixCost(
  eligible: readonly LiveInstance[],
  req: PlacementRequest,
  weights: ResolvedPrefixCostWeights,
  turns: TierTurns,
  turnKey: string = req.tier,
): PlacementDecision | undefined {
  if (eligible.length === 0) return undefined;
  const scored = eligible.map((instance) => {
    const cachedBlocks = req.cachedBlocks?.get(instance.instanceId) ?? 0;
    return { instance, cachedBlocks, cost: prefixCost(instance, req.promptTokens, cachedBlocks, req.blockSize, weights) };
  });
  const underCutoff = scored.filter((s) => s.cost.load < weights.overloadCutoff);
  const pool = underCutoff.length > 0 ? underCutoff : scored;
  let best: typeof pool = [];
  for (const s of pool) {
    const first = best[0];
    const c = first === undefined ? -1 : compare(s, first);
    if (first === undefined || c < 0) best = [s];
    else if (c === 0) best.push(s);
  }
  const chosen = best.length === 1 ? best[0]! : best[turns.next(turnKey, best.length)]!;
  return { instance: chosen.instance, cachedBlocks: chosen.cachedBlocks, reason: explain(chosen.cost, chosen.cachedBlocks) };
}

interface Scored {
  cachedBlocks: number;
  cost: PrefixCost;
}

function compare(a: Scored, b: Scored): number {
  if (a.cost.cost !== b.cost.cost) return a.cost.cost - b.cost.cost;
  if (a.cachedBlocks !== b.cachedBlocks) return b.cachedBlocks - a.cachedBlocks;
  return a.cost.load - b.cost.load;
}

function explain(c: PrefixCost, cachedBlocks: number): string {
  return (
    `least work before first token: ${Math.round(c.cost)} token-equivalents ` +
    `(${c.newPrefillTokens} to prefill after ${cachedBlocks} cached blocks, ` +
    `${Math.round(c.queuedPrefillTokens)} queued, ${Math.round(c.decodeLoadTokens)} for load ${c.load.toFixed(2)})`
  );
}
