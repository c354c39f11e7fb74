// The weir.yaml of one deployment run through the live stack: the
// deployment's tiers as sim workers replaying the recorded answers of the
// artifact's model columns, and the router/judge that reproduce its routing:
//   only one tier   → a one-tier config (no judged rung: that tier answers all);
//   static cascade  → the learned router at a huge budget (every cluster
//                     starts on the cheapest tier) + the trained judge at the
//                     artifact's thresholds: "start small, escalate by the judge";
//   a planner knob  → Weir as `weir plan --apply` deploys it: the plan is
//                     stored in weir_deployment before the stack starts,
//                     the scheduler (scheduler.localWorkers) starts the
//                     planned sim workers, and the router applies the plan's
//                     β and threshold shift; the trained judge scores.
// The router layers the virtual mode does not model (risk overrides, turn
// reuse, escalation memory) are switched off so both modes route alike.

import type { DeploymentPlanInit } from "@weir/bus";
import type { PlacementPolicyName } from "@weir/placement";
import { getPreset } from "@weir/sim";
import type { TierShape } from "../../warmup-bench/warmup-sim.js";
import type { BenchDeployment } from "../bench-deployments.js";

/** One tier as the routing artifact names it: its name, the data set column it replays, its prices. */
export interface LiveTier {
  name: string;
  /** The model column of the data set whose recorded answers the tier replays. */
  model: string;
  pricing: { inputPerMTok: number; outputPerMTok: number };
}

export interface LiveConfigOptions {
  /** Small then large, as in the artifact. */
  tiers: readonly [LiveTier, LiveTier];
  /** Absolute directory of routing.json (router and trained judge). */
  artifacts: string;
  /** The data set the sim engines replay answers of (gsm8k: the only one with answer texts). */
  replayDataset: string;
  speedup: number;
  seed: number;
  policy: PlacementPolicyName;
  /** Gateway deadline of a request, wall-clock ms. */
  requestTimeoutMs: number;
}

export interface LiveConfig {
  yaml: string;
  /** Weir's plan, to store in weir_deployment before the stack starts (a knob deployment only). */
  plan?: DeploymentPlanInit;
  /** What the live run does differently from the deployment as planned, one sentence each. */
  notes: string[];
}

/**
 * β large enough that every cluster's cheapest tier maximises
 * accuracy − β × cost: the learned router then never skips the small tier,
 * and the trained judge escalates at the artifact's own thresholds.
 */
export const STATIC_CASCADE_BUDGET = 1000;

export function liveConfig(d: BenchDeployment, o: LiveConfigOptions): LiveConfig {
  const notes: string[] = [];
  const shapes = [d.small, d.large] as const;
  const tier = (t: 0 | 1): string => tierYaml(o.tiers[t], checkedShape(shapes[t]), o);
  let tiers: string;
  let routing: string;
  let plan: DeploymentPlanInit | undefined;
  let scheduler = `scheduler: { policy: ${o.policy} }\n`;
  if (d.routing.kind === "only") {
    const t = d.routing.tier;
    if (t !== 0 && t !== 1) throw new RangeError(`deployment ${d.name} routes to tier ${t}; the live bench has tiers 0 and 1`);
    tiers = tier(t);
    routing = "router: { policy: static-ladder, ...OFF }\njudge: { scorer: placeholder }\n";
  } else {
    tiers = `${tier(0)}${tier(1)}`;
    // Static cascade: a budget in weir.yaml. Weir: the artifact's β here,
    // replaced by the plan's through weir_deployment, as in production.
    const budget = d.routing.kind === "knob" ? "" : `, budget: ${STATIC_CASCADE_BUDGET}`;
    routing = `router: { policy: learned, artifacts: ${JSON.stringify(o.artifacts)}${budget}, ...OFF }\njudge: { scorer: trained, artifacts: ${JSON.stringify(o.artifacts)} }\n`;
    if (d.routing.kind === "knob") {
      const k = d.routing.knob;
      plan = {
        gpu: getPreset(d.large.preset).gpu.id,
        tiers: ([0, 1] as const).map((t) => ({
          tier: o.tiers[t].name,
          preset: shapes[t].preset,
          tensorParallel: getPreset(shapes[t].preset).tensorParallel,
          replicas: shapes[t].instances,
        })),
        routerBudget: k.beta,
        qeThresholdShift: k.thresholdShift,
        onlyTier: "",
        source: "weir bench --live",
        createdAtMs: BigInt(Date.now()),
      };
      scheduler = `scheduler: { policy: ${o.policy}, localWorkers: { enabled: true } }\n`;
      notes.push(`deployed as weir plan --apply does: plan in weir_deployment, workers started by the scheduler, β ${k.beta.toFixed(4)} and threshold shift ${k.thresholdShift} applied by the router`);
    }
  }
  const off = "risk: { enabled: false }, turnReuse: { enabled: false }, escalationMemory: { turns: 0 }";
  const yaml =
    `# ${d.name}: ${d.description} (written by weir bench --live)\n` +
    `tiers:\n${tiers}` +
    routing.replace("...OFF", off) +
    `gateway: { host: 127.0.0.1, httpPort: 0, grpcPort: 0, requestTimeoutMs: ${Math.max(1, Math.ceil(o.requestTimeoutMs))}, streamingPolicy: buffered }\n` +
    scheduler +
    `worker: { heartbeatIntervalMs: 500, maxWaiting: 0 }\n`;
  return { yaml, notes, ...(plan === undefined ? {} : { plan }) };
}

function tierYaml(t: LiveTier, shape: TierShape, o: LiveConfigOptions): string {
  const engineOptions = { preset: shape.preset, speedup: o.speedup, seed: o.seed, replay: { dataset: o.replayDataset, model: t.model } };
  return (
    `  - name: ${t.name}\n` +
    `    model: ${JSON.stringify(t.model)}\n` +
    `    engine: sim\n` +
    `    pricing: { inputPerMTok: ${t.pricing.inputPerMTok}, outputPerMTok: ${t.pricing.outputPerMTok} }\n` +
    `    replicas: ${shape.instances}\n` +
    `    qeThreshold: 0\n` +
    `    engineOptions: ${JSON.stringify(engineOptions)}\n`
  );
}

/** A tier the stack runs: at least one worker of a preset @weir/sim builds (it throws a sentence otherwise). */
function checkedShape(s: TierShape): TierShape {
  if (!(Number.isInteger(s.instances) && s.instances >= 1)) {
    throw new RangeError(`a live tier needs at least one instance (${s.preset} has ${s.instances}): the stack would have no worker to place its requests on`);
  }
  getPreset(s.preset);
  return s;
}
