// The outer level (Cascadia, arXiv 2506.04203): thresholds and deployment
// chosen together. For each knob setting (β, threshold shift) the cascade is
// replayed on the labelled data (quality, each request's path); trace
// requests are paired with data rows (request i ↔ row i mod rows) to give
// each tier its traffic; the inner MILP deploys that traffic on the GPUs.
// A weighted-Tchebycheff sweep over (latency, quality) picks points, the
// Pareto front is kept, and the plan is the lowest-latency point on the
// front that meets the required quality. Every latency is simulated.

import type { TraceRequest } from "@weir/datasets";
import type { InnerObjective } from "../inner-milp.js";
import type { LatencySlo } from "../latency-summary.js";
import type { Deployment } from "../deployment.js";
import { type DeploymentPlan, planDeployment } from "../plan-deployment.js";
import { splitTraffic } from "../split-traffic.js";
import { TierLatencyModel } from "../tier-latency-model.js";
import { type CascadeKnob, defaultKnobs } from "./cascade-knob.js";
import { type CascadeOutcome, cascadeOutcome } from "./cascade-outcome.js";
import { paretoFront } from "./pareto-front.js";
import type { ScoredCascade } from "./scored-cascade.js";
import { tchebycheffChoices, weightSweep } from "./tchebycheff.js";

export interface PlanCascadeInput {
  gpus: number;
  gpu: string;
  trace: readonly TraceRequest[];
  cascade: ScoredCascade;
  /** @weir/sim model serving each tier, in the cascade's tier order (see tier-stand-ins.ts). */
  simModels: readonly string[];
  /** Least quality (accuracy relative to the strongest tier) the plan must keep. */
  minQuality: number;
  /** Default: defaultKnobs(cascade). */
  knobs?: readonly CascadeKnob[];
  /** Tchebycheff weights on latency. Default 11 from 0 to 1. */
  weights?: readonly number[];
  /**
   * Skip knobs another knob beats on quality with no more requests on any
   * tier (default true): a tier's simulated latency does not fall when it is
   * given more requests of the same trace, so those cannot reach the front
   * and their simulations are saved.
   */
  pruneByTraffic?: boolean;
  objective?: InnerObjective;
  slo?: LatencySlo;
  /** Tensor-parallel degrees to consider (default the inner level's). */
  tensorParallelDegrees?: readonly number[];
  latencyModel?: TierLatencyModel;
  /**
   * Re-planning: the deployment running now. Every knob's inner MILP then
   * weighs moving GPUs away from it (reallocationCostPerGpu each), so a small
   * change in traffic keeps the deployment.
   */
  current?: Deployment;
  reallocationCostPerGpu?: number;
  /** Called before each deployment is planned (progress). */
  onPlan?: (done: number, total: number) => void;
}

export interface CascadeCandidate {
  knob: CascadeKnob;
  quality: number;
  accuracy: number;
  /** Requests of the trace each tier serves. */
  tierRequests: number[];
  /** tierRequests / trace requests. */
  trafficShare: number[];
  /** Worst tier's latency of the deployment (p95 e2e by default), simulated; undefined when none fits. */
  latencyMs: number | undefined;
  plan: DeploymentPlan | undefined;
  /** Why no deployment was planned: pruned, or the inner level's error. */
  skipped?: string;
}

export interface CascadePlanResult {
  strongestAccuracy: number;
  candidates: CascadeCandidate[];
  /** Indices into candidates, by latency ascending. */
  front: number[];
  /** For each weight, the candidate index the Tchebycheff scalarisation picks. */
  sweep: { weight: number; candidate: number }[];
  /** Index of the lowest-latency front point with quality ≥ minQuality; undefined when none meets it. */
  chosen: number | undefined;
  simulations: number;
  cacheHits: number;
}

export async function planCascade(input: PlanCascadeInput): Promise<CascadePlanResult> {
  const { cascade, trace } = input;
  if (input.simModels.length !== cascade.tiers.length) {
    throw new RangeError(`${input.simModels.length} sim models for ${cascade.tiers.length} tiers`);
  }
  if (cascade.rows === 0) throw new RangeError("the labelled data set has no rows");
  const latencyModel = input.latencyModel ?? new TierLatencyModel();
  const [simsBefore, hitsBefore] = [latencyModel.simulations, latencyModel.cacheHits];
  const knobs = input.knobs ?? defaultKnobs(cascade);

  const replayed = knobs.map((knob) => {
    const outcome = cascadeOutcome(cascade, knob);
    const shares = splitTraffic(trace, cascade.tiers.length, (_r, i) => outcome.paths[i % cascade.rows]!);
    return { knob, outcome, shares };
  });
  const pruned = (input.pruneByTraffic ?? true) ? prunedByTraffic(replayed) : new Set<number>();
  const candidates: CascadeCandidate[] = [];
  const total = replayed.length - pruned.size;
  let done = 0;
  for (const [k, r] of replayed.entries()) {
    const base = candidateBase(r.knob, r.outcome, r.shares, trace.length);
    if (pruned.has(k)) {
      candidates.push({ ...base, latencyMs: undefined, plan: undefined, skipped: "pruned: another knob has ≥ quality and ≤ traffic on every tier" });
      continue;
    }
    input.onPlan?.(done++, total);
    try {
      const plan = await planDeployment({
        gpus: input.gpus,
        gpu: input.gpu,
        tiers: cascade.tiers.map((name, t) => ({ name, model: input.simModels[t]!, traffic: r.shares[t]! })),
        latencyModel,
        ...(input.objective === undefined ? {} : { objective: input.objective }),
        ...(input.slo === undefined ? {} : { slo: input.slo }),
        ...(input.tensorParallelDegrees === undefined ? {} : { tensorParallelDegrees: input.tensorParallelDegrees }),
        ...(input.current === undefined ? {} : { current: input.current }),
        ...(input.reallocationCostPerGpu === undefined ? {} : { reallocationCostPerGpu: input.reallocationCostPerGpu }),
      });
      candidates.push({ ...base, latencyMs: plan.worstLatencyMs, plan });
    } catch (err) {
      candidates.push({ ...base, latencyMs: undefined, plan: undefined, skipped: err instanceof Error ? err.message : String(err) });
    }
  }
  input.onPlan?.(total, total);

  const planned = candidates.flatMap((c, i) => (c.latencyMs === undefined ? [] : [i]));
  const points = planned.map((i) => ({ latencyMs: candidates[i]!.latencyMs!, quality: candidates[i]!.quality }));
  const front = paretoFront(points).map((j) => planned[j]!);
  const weights = input.weights ?? weightSweep(11);
  const sweep = tchebycheffChoices(points, weights).map((j, w) => ({ weight: weights[w]!, candidate: planned[j]! }));
  // The front is by latency ascending: the first that meets the bound is the fastest that does.
  const chosen = front.find((i) => candidates[i]!.quality >= input.minQuality - 1e-12);
  return {
    strongestAccuracy: replayed[0]?.outcome.strongestAccuracy ?? 0,
    candidates,
    front,
    sweep,
    chosen,
    simulations: latencyModel.simulations - simsBefore,
    cacheHits: latencyModel.cacheHits - hitsBefore,
  };
}

function candidateBase(
  knob: CascadeKnob,
  outcome: CascadeOutcome,
  shares: readonly (readonly TraceRequest[])[],
  requests: number,
): Omit<CascadeCandidate, "latencyMs" | "plan"> {
  const tierRequests = shares.map((s) => s.length);
  return {
    knob,
    quality: outcome.quality,
    accuracy: outcome.accuracy,
    tierRequests,
    trafficShare: tierRequests.map((n) => (requests === 0 ? 0 : n / requests)),
  };
}

/**
 * Knobs another beats on (quality, every tier's request count): ≥ quality,
 * ≤ requests on every tier, better on one; of knobs equal on all of these,
 * all but the first.
 */
function prunedByTraffic(replayed: readonly { outcome: CascadeOutcome; shares: readonly (readonly TraceRequest[])[] }[]): Set<number> {
  const counts = replayed.map((r) => r.shares.map((s) => s.length));
  const quality = replayed.map((r) => r.outcome.quality);
  const pruned = new Set<number>();
  replayed.forEach((_a, i) => {
    for (let j = 0; j < replayed.length; j++) {
      if (i === j || pruned.has(j)) continue;
      if (!(quality[j]! >= quality[i]! && counts[j]!.every((n, t) => n <= counts[i]![t]!))) continue;
      const equal = quality[j] === quality[i] && counts[j]!.every((n, t) => n === counts[i]![t]!);
      if (!equal || j < i) {
        pruned.add(i);
        return;
      }
    }
  });
  return pruned;
}
