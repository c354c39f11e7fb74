import { create } from "@bufbuild/protobuf";
import { PlanStepSchema, type RoutePlan } from "@weir/proto";
import { generationCostUsd, usd, type RequestTargets } from "./plan-targets.js";

/** A tier's prices, USD per million tokens (TierConfig.pricing). */
export interface TierPricing {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

/**
 * Per-request targets on the static ladder, which knows prices but not
 * quality. A minimum quality cannot be planned for: the note says so and the
 * ladder stays. A maximum cost drops every rung whose own estimated cost
 * (prices × prompt tokens + expected output) exceeds it, keeping at least the
 * cheapest rung; the new last rung is accepted unjudged, as last rungs are.
 */
export function applyStaticTargets(
  plan: RoutePlan,
  targets: RequestTargets | undefined,
  prices: ReadonlyMap<string, TierPricing>,
): RoutePlan {
  if (targets === undefined) return plan;
  const notes: string[] = [];
  if (targets.minQuality !== undefined) {
    notes.push(
      `min quality ${targets.minQuality.toFixed(2)}: the static ladder has no quality estimate to plan by (use router.policy learned); planned the full ladder`,
    );
  }
  const cap = targets.maxCostUsd;
  if (cap !== undefined) {
    const cost = (tier: string): number => {
      const p = prices.get(tier);
      return p === undefined ? 0 : generationCostUsd(p, targets.promptTokens);
    };
    let kept = plan.steps.filter((s) => cost(s.tier) <= cap);
    const dropped = plan.steps.filter((s) => !kept.includes(s));
    if (kept.length === 0) {
      const cheapest = plan.steps.reduce((a, b) => (cost(b.tier) < cost(a.tier) ? b : a));
      kept = [cheapest];
      notes.push(`max cost ${usd(cap)} is below every tier's estimated cost for this prompt; kept ${cheapest.tier}, the cheapest (est. ${usd(cost(cheapest.tier))})`);
    } else if (dropped.length > 0) {
      const est = dropped.map((s) => `${s.tier} est. ${usd(cost(s.tier))}`).join(", ");
      notes.push(`max cost ${usd(cap)}: dropped ${est}; kept ${kept.map((s) => s.tier).join(" -> ")}`);
    } else {
      notes.push(`max cost ${usd(cap)}: every rung fits (est. at most ${usd(Math.max(...kept.map((s) => cost(s.tier))))} each)`);
    }
    if (dropped.length > 0) {
      const last = kept.length - 1;
      plan.steps = kept.map((s, i) =>
        create(PlanStepSchema, { tier: s.tier, qeThreshold: i === last ? 0 : s.qeThreshold, warmUp: i > 0 && s.warmUp }),
      );
    }
  }
  plan.targetsNote = notes.join("; ");
  return plan;
}
