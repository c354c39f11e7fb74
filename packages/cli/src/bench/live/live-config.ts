// The weir.yaml of one deployment run through the live stack: the
// deployment's tiers as sim workers replaying the recorded answers of the
// artifact's model columns, and the router/judge that reproduce its routing:
//   only one tier   → a one-tier config (no judged rung: that tier answers all);
//   static cascade  → the learned router at a huge budget (every cluster
//                     starts on the cheapest tier) + the trained judge at the
//                     artifact's thresholds: "start small, escalate by the judge";
//   a planner knob  → the learned router at the plan's β + the trained judge.
// The router layers the virtual mode does not model (risk overrides, turn
// reuse, escalation memory) are switched off so both modes route alike.

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
  const tier = (t: 0 | 1): string => tierYaml(o.tiers[t], checkedShape(shapes[t], notes), o);
  let tiers: string;
  let routing: string;
  if (d.routing.kind === "only") {
    const t = d.routing.tier;
    if (t !== 0 && t !== 1) throw new RangeError(`deployment ${d.name} routes to tier ${t}; the live bench has tiers 0 and 1`);
    tiers = tier(t);
    routing = "router: { policy: static-ladder, ...OFF }\njudge: { scorer: placeholder }\n";
  } else {
    tiers = `${tier(0)}${tier(1)}`;
    let budget = STATIC_CASCADE_BUDGET;
    if (d.routing.kind === "knob") {
      budget = d.routing.knob.beta;
      if (d.routing.knob.thresholdShift !== 0) {
        notes.push(
          `the plan's threshold shift ${d.routing.knob.thresholdShift} is not applied live (weir.yaml has no such setting): the judge uses the artifact's thresholds`,
        );
      }
    }
    routing = `router: { policy: learned, artifacts: ${JSON.stringify(o.artifacts)}, budget: ${budget}, ...OFF }\njudge: { scorer: trained, artifacts: ${JSON.stringify(o.artifacts)} }\n`;
  }
  const off = "risk: { enabled: false }, turnReuse: { enabled: false }, escalationMemory: { turns: 0 }";
  const yaml =
    `# ${d.name}: ${d.description} (written by weir bench --live)\n` +
    `tiers:\n${tiers}` +
    routing.replace("...OFF", off) +
    `gateway: { host: 127.0.0.1, httpPort: 0, grpcPort: 0, requestTimeoutMs: ${Math.max(1, Math.ceil(o.requestTimeoutMs))}, streamingPolicy: buffered }\n` +
    `scheduler: { policy: ${o.policy} }\n` +
    `worker: { heartbeatIntervalMs: 500, maxWaiting: 0 }\n`;
  return { yaml, notes };
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

/**
 * The shape a sim worker can run. Bench deployments are built from presets
 * @weir/sim has, so this normally passes them through; should one name a
 * degree the installed @weir/sim does not build, its GPUs are refilled at
 * TP1 (as the virtual mode does) and a note says so.
 */
function checkedShape(s: TierShape, notes: string[]): TierShape {
  if (!(Number.isInteger(s.instances) && s.instances >= 1)) {
    throw new RangeError(`a live tier needs at least one instance (${s.preset} has ${s.instances}): the stack would have no worker to place its requests on`);
  }
  try {
    getPreset(s.preset);
    return s;
  } catch {
    const m = /^(.*)x(\d+)$/.exec(s.preset);
    if (m === null) throw new Error(`@weir/sim has no preset "${s.preset}" and it names no tensor-parallel degree to fall back from`);
    const tp1 = m[1]!;
    getPreset(tp1);
    const instances = s.instances * Number(m[2]);
    notes.push(`${s.preset} × ${s.instances} run as ${tp1} × ${instances} (no @weir/sim preset at that degree)`);
    return { preset: tp1, instances };
  }
}
