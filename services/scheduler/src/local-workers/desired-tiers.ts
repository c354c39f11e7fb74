// What the local workers should be, from weir.yaml (at boot) or from a stored
// DeploymentPlan (`weir plan --apply`). Pure, so the refusals are tested
// without processes.

import type { WeirConfig } from "@weir/config";
import type { DeploymentPlan } from "@weir/proto";
import type { DesiredTier } from "./worker-reconcile.js";

/** tiers[].replicas of every tier, sim tiers on their configured preset, others as configured. */
export function desiredFromConfig(config: WeirConfig): DesiredTier[] {
  return config.tiers.map((t) => ({ tier: t.name, preset: t.engine === "sim" ? t.engineOptions.preset : undefined, replicas: t.replicas }));
}

export type PlanVerdict = { desired: DesiredTier[] } | { refused: string };

/**
 * The configured tiers with those the plan names replaced by the plan's
 * preset × replicas; a tier the plan does not name keeps its configured
 * workers. The whole plan is refused, with one sentence, when it names a tier
 * weir.yaml does not have or one that is not a sim tier: only the simulator
 * can be started on any model/GPU shape, so half-applying such a plan would
 * leave a deployment nobody asked for.
 */
export function desiredFromPlan(plan: DeploymentPlan, config: WeirConfig): PlanVerdict {
  const base = desiredFromConfig(config);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of plan.tiers) {
    const tier = config.tiers.find((c) => c.name === t.tier);
    if (tier === undefined) problems.push(`tier "${t.tier}" is not in weir.yaml (its tiers: ${config.tiers.map((c) => c.name).join(", ")})`);
    else if (tier.engine !== "sim") problems.push(`tier "${t.tier}" runs engine "${tier.engine}", and only sim tiers can be started by the scheduler`);
    else if (t.replicas > 0 && t.preset === "") problems.push(`tier "${t.tier}" has ${t.replicas} replicas but no preset`);
    if (seen.has(t.tier)) problems.push(`tier "${t.tier}" is listed twice`);
    seen.add(t.tier);
  }
  if (problems.length > 0) return { refused: `deployment plan from ${plan.source || "an unknown writer"} refused: ${problems.join("; ")}.` };
  const desired = base.map((d) => {
    const p = plan.tiers.find((t) => t.tier === d.tier);
    // Replicas 0 with no preset: keep the configured preset so nothing is "replaced".
    return p === undefined ? d : { tier: d.tier, preset: p.preset === "" ? d.preset : p.preset, replicas: p.replicas };
  });
  return { desired };
}

/** One line per tier, for logs: "small 2 × llama-3.1-8b/h100, large 1 × llama-3.1-70b/h100x8". */
export function describeDesired(desired: readonly DesiredTier[]): string {
  return desired.map((d) => `${d.tier} ${d.replicas} × ${d.preset ?? "configured engine"}`).join(", ");
}
