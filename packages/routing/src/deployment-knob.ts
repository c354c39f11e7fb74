import { create } from "@bufbuild/protobuf";
import { PlanStepSchema, type RoutePlan } from "@weir/proto";

/**
 * The cascade knob of the deployment plan in force (`weir plan --apply`, the
 * weir_deployment bucket), as the routers apply it at runtime. Semantics as in
 * the planner (packages/planner/src/outer/cascade-knob.ts): β picks each
 * cluster's start tier, the shift is added to every non-final rung's accept
 * threshold (clamped to [0, 1]), and an only tier serves every request alone.
 * A field that is absent leaves the router's own setting in force.
 */
export interface DeploymentKnob {
  /** The budget β; replaces router.budget and the artifact's (learned router only). */
  readonly budget?: number | undefined;
  /** Added to every non-final rung's threshold, after L4 overrides; 0 or absent = unchanged. */
  readonly thresholdShift?: number | undefined;
  /** Every weir-auto request is planned as this tier alone. */
  readonly onlyTier?: string | undefined;
  /** Tiers the deployment runs no worker for (replicas 0): rungs on them are dropped (avoidIdleTiers). */
  readonly idleTiers?: readonly string[] | undefined;
  /** Who wrote the plan, for logs. */
  readonly source?: string | undefined;
}

/** What a router reads its knob from, once per plan. */
export interface KnobSource {
  current(): DeploymentKnob | undefined;
}

/**
 * The knob in force, shared by the routers (and each router the artifact
 * watcher rebuilds): the deployment watcher sets it, every plan reads it, so
 * a new plan takes effect on the next request without rebuilding a router.
 */
export class KnobHolder implements KnobSource {
  #knob: DeploymentKnob | undefined;

  constructor(knob?: DeploymentKnob) {
    this.#knob = knob;
  }

  current(): DeploymentKnob | undefined {
    return this.#knob;
  }

  set(knob: DeploymentKnob | undefined): void {
    this.#knob = knob;
  }
}

/** A threshold moved by the knob's shift, clamped to [0, 1]; unchanged (bit for bit) with no shift. */
export function shiftedThreshold(threshold: number, knob: DeploymentKnob | undefined): number {
  const shift = knob?.thresholdShift ?? 0;
  return shift === 0 ? threshold : Math.min(1, Math.max(0, threshold + shift));
}

/** "+0.10" / "-0.05": a shift as the reasons write it. */
export function fmtShift(shift: number): string {
  return `${shift >= 0 ? "+" : ""}${Number(shift.toPrecision(3))}`;
}

/** What a DeploymentPlan (weir.v1) carries for the router; structural, so no message is needed to test. */
export interface DeploymentPlanKnobFields {
  readonly routerBudget?: number | undefined;
  readonly qeThresholdShift: number;
  readonly onlyTier: string;
  readonly tiers: readonly { readonly tier: string; readonly replicas: number }[];
  readonly source?: string;
}

export type KnobFromPlan = { readonly knob: DeploymentKnob; readonly ignored?: undefined } | { readonly knob?: undefined; readonly ignored: string };

/**
 * The knob of a deployment plan, checked against the tiers this router
 * configures. A plan that names a tier the router does not know (as its only
 * tier or in its tiers), or carries a β or shift that is not a finite number
 * (β also ≥ 0), is refused with one sentence saying why.
 */
export function knobFromDeploymentPlan(plan: DeploymentPlanKnobFields, configured: readonly string[]): KnobFromPlan {
  const known = new Set(configured);
  const unknown = [...new Set([...(plan.onlyTier === "" ? [] : [plan.onlyTier]), ...plan.tiers.map((t) => t.tier)])].filter((t) => !known.has(t));
  const list = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(", ");
  if (unknown.length > 0) {
    return {
      ignored: `deployment plan ignored: it names tier${unknown.length > 1 ? "s" : ""} ${list(unknown)} that this router does not configure (configured: ${list(configured)})`,
    };
  }
  const beta = plan.routerBudget;
  if (beta !== undefined && !(Number.isFinite(beta) && beta >= 0)) {
    return { ignored: `deployment plan ignored: its router budget β is ${beta}, not a number ≥ 0` };
  }
  if (!Number.isFinite(plan.qeThresholdShift)) {
    return { ignored: `deployment plan ignored: its threshold shift is ${plan.qeThresholdShift}, not a number` };
  }
  const idle = plan.tiers.filter((t) => t.replicas === 0).map((t) => t.tier);
  return {
    knob: {
      ...(beta === undefined ? {} : { budget: beta }),
      ...(plan.qeThresholdShift === 0 ? {} : { thresholdShift: plan.qeThresholdShift }),
      ...(plan.onlyTier === "" ? {} : { onlyTier: plan.onlyTier }),
      ...(idle.length === 0 ? {} : { idleTiers: idle }),
      ...(plan.source === undefined || plan.source === "" ? {} : { source: plan.source }),
    },
  };
}

/** One line describing a knob, for the router's log. */
export function describeKnob(knob: DeploymentKnob): string {
  const parts: string[] = [];
  if (knob.onlyTier !== undefined) parts.push(`${knob.onlyTier} serves every request`);
  else {
    parts.push(knob.budget === undefined ? "β unchanged" : `β=${Number(knob.budget.toPrecision(3))}`);
    parts.push(`threshold shift ${fmtShift(knob.thresholdShift ?? 0)}`);
  }
  if (knob.idleTiers !== undefined && knob.idleTiers.length > 0) parts.push(`no workers on ${knob.idleTiers.join(", ")}`);
  return parts.join(", ");
}

/**
 * Drops the rungs of a plan that sit on tiers the deployment runs no worker
 * for (DeploymentKnob.idleTiers), so that no request is sent to a tier
 * without workers. A plan the knob already keeps off them is returned as it
 * is. If every rung is idle, the cheapest tier (in `tiers` order) with
 * workers serves alone. The new last rung is accepted unjudged, the new first
 * is not warmed up; the reason says what was dropped. Plans with no steps (a
 * reused answer) are left alone.
 */
export function avoidIdleTiers(plan: RoutePlan, knob: DeploymentKnob | undefined, tiers: readonly string[]): RoutePlan {
  const idle = new Set(knob?.idleTiers ?? []);
  if (idle.size === 0 || plan.steps.length === 0) return plan;
  const dropped = plan.steps.filter((s) => idle.has(s.tier));
  if (dropped.length === 0) return plan;
  let kept = plan.steps.filter((s) => !idle.has(s.tier));
  const names = [...new Set(dropped.map((s) => s.tier))].join(", ");
  if (kept.length === 0) {
    const fallback = tiers.find((t) => !idle.has(t));
    if (fallback === undefined) return plan; // Nothing runs anywhere: leave the plan, the cascade reports the missing workers.
    kept = [create(PlanStepSchema, { tier: fallback, qeThreshold: 0 })];
    plan.reason += `; deployment plan: no workers on ${names}, serving on ${fallback}, the cheapest tier with workers`;
  } else {
    plan.reason += `; deployment plan: no workers on ${names}, dropped ${dropped.length > 1 ? "those rungs" : "that rung"}`;
  }
  const last = kept.length - 1;
  plan.steps = kept.map((s, i) =>
    create(PlanStepSchema, { tier: s.tier, qeThreshold: i === last ? 0 : s.qeThreshold, warmUp: i > 0 && s.warmUp }),
  );
  return plan;
}
