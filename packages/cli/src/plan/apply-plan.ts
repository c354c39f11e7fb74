// `weir plan --apply`: the chosen plan as a weir.v1.DeploymentPlan in the
// NATS KV bucket weir_deployment (key "current"). In the local stack the
// scheduler with scheduler.localWorkers enabled watches it and starts and
// stops sim workers to match; routers apply its knob (β, threshold shift,
// only-tier) to every new request.

import type { Deployment } from "@weir/planner";
import { presetId } from "@weir/sim";
import { type Bus, CURRENT_PLAN_KEY, DEPLOYMENT_BUCKET, type DeploymentPlan, type DeploymentPlanInit, connectBus, openDeploymentPlans } from "@weir/bus";

/** What a plan must say per tier; PlanCandidateRow's tiers have it. */
export interface PlannedTier {
  tier: string;
  /** The @weir/sim model the planner simulated the tier on (its stand-in). */
  simModel: string;
  tensorParallel: number;
  replicas: number;
}

/** The knob and the tiers of a plan; a PlanCandidateRow is one. */
export interface PlannedDeployment {
  onlyTier?: string;
  beta: number;
  thresholdShift: number;
  tiers: readonly PlannedTier[];
}

/** The sim preset a worker of `tensorParallel` GPUs runs: @weir/sim's `<model>/<gpu>` (TP1) or `<model>/<gpu>x<TP>`. */
export { presetId };

/**
 * The DeploymentPlan for a chosen plan: every tier (one without GPUs as 0
 * replicas, no preset), the router budget β unless one tier serves
 * everything, the threshold shift, and who wrote it when.
 */
export function deploymentPlanFor(plan: PlannedDeployment, gpu: string, opts: { source?: string; nowMs?: number } = {}): DeploymentPlanInit {
  const alone = plan.onlyTier !== undefined;
  return {
    gpu,
    tiers: plan.tiers.map((t) => {
      const runs = t.replicas > 0 && t.tensorParallel > 0;
      return {
        tier: t.tier,
        preset: runs ? presetId(t.simModel, gpu, t.tensorParallel) : "",
        tensorParallel: runs ? t.tensorParallel : 0,
        replicas: runs ? t.replicas : 0,
      };
    }),
    ...(alone ? {} : { routerBudget: plan.beta }),
    qeThresholdShift: alone ? 0 : plan.thresholdShift,
    onlyTier: plan.onlyTier ?? "",
    source: opts.source ?? "weir plan --apply",
    createdAtMs: BigInt(opts.nowMs ?? Date.now()),
  };
}

export interface ApplyPlanOptions {
  /** NATS to write to (default $NATS_URL, else nats://127.0.0.1:4222). */
  natsUrl?: string;
  /** An open connection to use instead (tests); left open. */
  bus?: Bus;
  connectTimeoutMs?: number;
}

/** Stores `plan` as weir_deployment/current; returns what was stored. */
export async function applyDeploymentPlan(plan: DeploymentPlanInit, o: ApplyPlanOptions = {}): Promise<DeploymentPlan> {
  return withBus(o, async (bus) => (await openDeploymentPlans(bus)).put(plan));
}

/** Withdraws the stored plan: schedulers go back to tiers[].replicas, routers to weir.yaml's routing. */
export async function clearDeploymentPlan(o: ApplyPlanOptions = {}): Promise<void> {
  await withBus(o, async (bus) => (await openDeploymentPlans(bus)).clear());
}

/** The plan stored in weir_deployment/current, or undefined. */
export async function readDeploymentPlan(o: ApplyPlanOptions = {}): Promise<DeploymentPlan | undefined> {
  return withBus(o, async (bus) => (await openDeploymentPlans(bus)).get());
}

async function withBus<T>(o: ApplyPlanOptions, fn: (bus: Bus) => Promise<T>): Promise<T> {
  if (o.bus !== undefined) return fn(o.bus);
  const bus = await connectBus({
    name: "weir-plan",
    ...(o.natsUrl === undefined ? {} : { url: o.natsUrl }),
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
  });
  try {
    return await fn(bus);
  } finally {
    await bus.close();
  }
}

/** One paragraph saying what is (or was written) in the bucket. */
export function formatDeploymentPlan(plan: DeploymentPlan): string {
  const tiers = plan.tiers.map((t) => (t.replicas > 0 ? `${t.tier}: ${t.replicas} × ${t.preset} (TP${t.tensorParallel})` : `${t.tier}: none`));
  const knob =
    plan.onlyTier !== ""
      ? `${plan.onlyTier} serves every request`
      : `router budget β = ${plan.routerBudget === undefined ? "unset" : plan.routerBudget.toFixed(4)}, threshold shift ${plan.qeThresholdShift >= 0 ? "+" : ""}${plan.qeThresholdShift}`;
  const when = plan.createdAtMs > 0n ? new Date(Number(plan.createdAtMs)).toISOString() : "unknown time";
  return `${DEPLOYMENT_BUCKET}/${CURRENT_PLAN_KEY} (${plan.gpu.toUpperCase()}; ${plan.source || "unknown writer"}, ${when}):\n  ${tiers.join("\n  ")}\n  ${knob}\n`;
}

/**
 * The caveat of a plan that leaves a tier without workers: routers do not
 * read the plan's knob (β, threshold shift, only-tier) yet, so a request they
 * still route to that tier fails with 503. Undefined when every tier runs.
 */
export function idleTierWarning(plan: { readonly tiers: readonly { tier: string; replicas: number }[] }): string | undefined {
  const idle = plan.tiers.filter((t) => t.replicas === 0).map((t) => t.tier);
  if (idle.length === 0) return undefined;
  return (
    `Note: tier${idle.length > 1 ? "s" : ""} ${idle.join(", ")} now run${idle.length > 1 ? "" : "s"} no worker: routers apply the plan's knob and ` +
    "plan no rungs there, but a request that names such a tier as its model gets 503.\n"
  );
}

/**
 * The running deployment a stored plan describes, for re-planning from it
 * (planner's Deployment: tiers with workers only); undefined when it was
 * planned for another GPU kind (moving between kinds is not a reallocation).
 */
export function deploymentFromStored(
  plan: { readonly gpu: string; readonly tiers: readonly { tier: string; tensorParallel: number; replicas: number }[] },
  gpu: string,
): Deployment | undefined {
  if (plan.gpu !== gpu) return undefined;
  return {
    gpu: plan.gpu,
    tiers: plan.tiers.filter((t) => t.replicas > 0 && t.tensorParallel > 0).map((t) => ({ name: t.tier, tensorParallel: t.tensorParallel, replicas: t.replicas })),
  };
}
