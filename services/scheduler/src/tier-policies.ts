import type { WeirConfig } from "@weir/config";
import { createPlacementPolicy, type PlacementPolicy } from "@weir/placement";

/** The placement policy of each tier. */
export interface TierPolicies {
  /** The tier's policy (scheduler.tierOverrides, else scheduler.policy). */
  of(tier: string): PlacementPolicy;
  /** Every tier's policy so far, tier → policy. */
  entries(): [string, PlacementPolicy][];
}

/**
 * One policy instance per tier, each with its own state (round-robin turns,
 * length histograms), built at boot for every tier of weir.yaml so that a
 * policy that cannot be built stops boot instead of failing requests. A tier
 * weir.yaml does not list (a worker started with another config) gets the
 * default policy on first use.
 */
export function createTierPolicies(scheduler: WeirConfig["scheduler"], tiers: readonly string[]): TierPolicies {
  const overrides = new Map(scheduler.tierOverrides.map((o) => [o.name, o.policy]));
  const policies = new Map<string, PlacementPolicy>();
  const of = (tier: string): PlacementPolicy => {
    let policy = policies.get(tier);
    if (!policy) {
      policy = createPlacementPolicy(overrides.get(tier) ?? scheduler.policy, scheduler.policyOptions);
      policies.set(tier, policy);
    }
    return policy;
  };
  for (const tier of tiers) of(tier);
  return { of, entries: () => [...policies] };
}
