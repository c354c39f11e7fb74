import { generationCostUsd, type LadderCandidate } from "./plan-targets.js";
import type { RoutingModel } from "./routing-model.js";

/**
 * Every ladder the learned router could plan for a request of `cluster`:
 * each contiguous run of the artifact's tiers (start anywhere, stop anywhere),
 * with the artifact's estimates. Quality: a full ladder (ending at the
 * strongest tier) has its start option's trained accuracy; a one-rung ladder
 * its tier's accuracy on the cluster; a ladder cut short, the lower of the
 * two (it cannot beat its strongest rung, nor the full ladder from its start).
 * Cost: tier prices × (prompt tokens + expected output); a later rung counts
 * in the expected cost by the chance that every earlier one is rejected
 * (1 − accuracy, the same proxy as the warm-up prediction).
 */
export function learnedLadderCandidates(model: RoutingModel, cluster: number, promptTokens: number): LadderCandidate[] {
  const names = model.tierNames();
  const prices = new Map(model.artifact.tiers.map((t) => [t.name, t.pricing]));
  const startAccuracy = new Map(model.cluster(cluster).starts.map((o) => [o.tier, o.accuracy]));
  const out: LadderCandidate[] = [];
  for (let s = 0; s < names.length; s++) {
    for (let e = s; e < names.length; e++) {
      const tiers = names.slice(s, e + 1);
      const strongest = model.prior(cluster, names[e]!);
      const fromStart = startAccuracy.get(names[s]!) ?? strongest;
      const quality = tiers.length === 1 ? strongest : e === names.length - 1 ? fromStart : Math.min(fromStart, strongest);
      let reach = 1;
      let expectedCostUsd = 0;
      let worstCostUsd = 0;
      for (const tier of tiers) {
        const pricing = prices.get(tier);
        const cost = pricing === undefined ? 0 : generationCostUsd(pricing, promptTokens);
        worstCostUsd += cost;
        expectedCostUsd += reach * cost;
        reach *= 1 - model.prior(cluster, tier);
      }
      out.push({ tiers, quality, expectedCostUsd, worstCostUsd });
    }
  }
  return out;
}
