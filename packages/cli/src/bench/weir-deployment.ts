// Weir's deployment: the planner's outer level (β × threshold shift, each
// deployed by the inner MILP over simulated latencies) as `weir plan` runs
// it, on the benchmark's own arrivals and lengths; the fastest plan on the
// front that keeps minQuality becomes a BenchDeployment.

import type { TraceRequest } from "@weir/datasets";
import {
  type CascadeCandidate,
  type InnerObjective,
  LatencyCache,
  type ScoredCascade,
  TierLatencyModel,
  defaultKnobs,
  planCascade,
} from "@weir/planner";
import type { TierShape } from "../warmup-bench/warmup-sim.js";
import { type BenchDeployment, presetId, smallestFittingDegree } from "./bench-deployments.js";

export interface WeirPlanOptions {
  gpus: number;
  gpu: string;
  trace: readonly TraceRequest[];
  cascade: ScoredCascade;
  /** Sim stand-ins, small then large. */
  simModels: readonly [string, string];
  minQuality: number;
  sloMs: number;
  cacheFile?: string | undefined;
  /** The inner MILP's objective (default min-latency: the worst tier's p95). */
  objective?: InnerObjective | undefined;
  onPlan?: (done: number, total: number) => void;
}

export interface WeirPlan {
  deployment: BenchDeployment;
  /**
   * The planner's own deployment of each tier serving everything alone (its
   * single-tier knobs; the best TP × replicas for this traffic), so the
   * single-tier baselines are the strongest ones; undefined when it planned none.
   */
  singleTier: [TierShape | undefined, TierShape | undefined];
  candidate: CascadeCandidate;
  /** Planned knob settings, and how many were on the front. */
  planned: number;
  front: number;
}

export async function planWeirDeployment(o: WeirPlanOptions): Promise<WeirPlan> {
  const result = await planCascade({
    gpus: o.gpus,
    gpu: o.gpu,
    trace: o.trace,
    cascade: o.cascade,
    simModels: o.simModels,
    minQuality: o.minQuality,
    knobs: defaultKnobs(o.cascade, { betaCount: 8, thresholdShifts: [-0.1, 0, 0.1] }),
    latencyModel: new TierLatencyModel({ cache: new LatencyCache(o.cacheFile) }),
    slo: { e2eMs: o.sloMs },
    ...(o.objective === undefined ? {} : { objective: o.objective }),
    ...(o.onPlan === undefined ? {} : { onPlan: o.onPlan }),
  });
  if (result.chosen === undefined) throw new Error(`no plan reaches quality ${o.minQuality}: lower --min-quality`);
  const candidate = result.candidates[result.chosen]!;
  const plan = candidate.plan!;
  // Every degree the planner weighs is a preset @weir/sim builds, so the
  // benchmark replays exactly the planned replicas.
  const shape = (t: number): TierShape => {
    const option = plan.tiers[t]?.option;
    const model = o.simModels[t]!;
    if (option === undefined) return { preset: presetId(model, o.gpu, smallestFittingDegree(model, o.gpu)), instances: 0 };
    return { preset: presetId(model, o.gpu, option.tensorParallel), instances: option.replicas };
  };
  const k = candidate.knob;
  const small = shape(0);
  const large = shape(1);
  const alone = (t: number): TierShape | undefined => {
    const option = result.candidates.find((c) => c.knob.onlyTier === t)?.plan?.tiers[t]?.option;
    return option === undefined ? undefined : { preset: presetId(o.simModels[t]!, o.gpu, option.tensorParallel), instances: option.replicas };
  };
  return {
    candidate,
    singleTier: [alone(0), alone(1)],
    planned: result.candidates.filter((c) => c.latencyMs !== undefined).length,
    front: result.front.length,
    deployment: {
      name: "weir",
      description:
        k.onlyTier !== undefined
          ? `planner: ${o.cascade.tiers[k.onlyTier]} only`
          : `planner: β = ${k.beta.toFixed(4)}, threshold shift ${k.thresholdShift}, fastest plan with quality ≥ ${o.minQuality}`,
      small,
      large,
      routing: k.onlyTier !== undefined ? { kind: "only", tier: k.onlyTier } : { kind: "knob", knob: k },
    },
  };
}
