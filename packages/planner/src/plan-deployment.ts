// The planner's programmatic entry (the inner level): tiers with their share
// of the traffic in, a deployment out. For each tier it enumerates the
// options that fit in memory and within the GPUs the other tiers leave,
// simulates the tier's traffic on each (cached), and lets the MILP choose.
// Every latency it reports is simulated.

import type { TraceRequest } from "@weir/datasets";
import { GPUS, type GpuSpec, MODELS, type ModelSpec } from "@weir/sim";
import type { Deployment, TierDeployment } from "./deployment.js";
import {
  DEFAULT_MIN_KV_TOKENS,
  type DeploymentOption,
  enumerateDeploymentOptions,
  minimumGpus,
  replicaKvCapacity,
} from "./deployment-option.js";
import { type Candidate, type InnerObjective, type TierCandidates, solveInnerMilp } from "./inner-milp.js";
import {
  DEFAULT_LATENCY_METRIC,
  type LatencyMetric,
  type LatencySlo,
  type TierLatency,
  latencyOf,
} from "./latency-summary.js";
import { gpusMoved } from "./reallocation.js";
import type { SimSettings } from "./sim-settings.js";
import { TierLatencyModel, tierTraffic } from "./tier-latency-model.js";

export interface PlanTierInput {
  name: string;
  /** A ModelSpec or a @weir/sim model id, e.g. "llama-3.1-8b". */
  model: ModelSpec | string;
  /** The requests this tier serves under the fixed thresholds (see splitTraffic). */
  traffic: readonly TraceRequest[];
}

/** Reallocation cost per GPU moved when re-planning and none is given (see inner-milp.ts for its units). */
export const DEFAULT_REALLOCATION_COST_PER_GPU = 0.02;

export interface PlanDeploymentInput {
  gpus: number;
  /** A GpuSpec or a @weir/sim GPU id: "h100", "h200". */
  gpu: GpuSpec | string;
  tiers: readonly PlanTierInput[];
  /** Default "min-latency". */
  objective?: InnerObjective;
  /** The latency min-latency minimises. Default p95 end-to-end. */
  latencyMetric?: LatencyMetric;
  /** Required by max-slo-attainment; otherwise only reported. */
  slo?: LatencySlo;
  tensorParallelDegrees?: readonly number[];
  /** Least KV per replica; raised per tier to its longest request. Default DEFAULT_MIN_KV_TOKENS. */
  minKvTokens?: number;
  /** Engine settings, when no latencyModel is given. */
  sim?: SimSettings;
  /** Share one (and its cache) across calls: the outer level plans many times. */
  latencyModel?: TierLatencyModel;
  /** The deployment running now: re-plan with a cost per GPU moved. */
  current?: Deployment;
  /** Default DEFAULT_REALLOCATION_COST_PER_GPU when `current` is given. */
  reallocationCostPerGpu?: number;
}

export interface CandidateFigures {
  option: DeploymentOption;
  /** Simulated. */
  latency: TierLatency;
}

export interface TierPlan {
  name: string;
  model: string;
  requests: number;
  /** Undefined: the tier receives no traffic and gets no GPUs. */
  option: DeploymentOption | undefined;
  /** Simulated figures of the chosen option. */
  latency: TierLatency | undefined;
  /** GPUs started, stopped or reloaded from `current` (all of the tier's on a first plan). */
  movedGpus: number;
  /** Every option weighed (those refusing requests are listed but not chosen). */
  candidates: CandidateFigures[];
}

export interface DeploymentPlan {
  gpu: string;
  gpus: number;
  gpusUsed: number;
  objective: InnerObjective;
  latencyMetric: LatencyMetric;
  slo: LatencySlo | undefined;
  /** The chosen options' worst tier latency by latencyMetric, ms (simulated). */
  worstLatencyMs: number;
  /** Over all tiers' requests (a request escalated counts once per tier it visits); undefined without an SLO. */
  sloAttainment: number | undefined;
  movedGpus: number;
  tiers: TierPlan[];
  deployment: Deployment;
  /** Simulations run and served from the cache by this call. */
  simulations: number;
  cacheHits: number;
}

export async function planDeployment(input: PlanDeploymentInput): Promise<DeploymentPlan> {
  const gpu = typeof input.gpu === "string" ? lookup(GPUS, input.gpu, "GPU") : input.gpu;
  if (!Number.isInteger(input.gpus) || input.gpus < 1) throw new RangeError(`gpus must be a positive integer, got ${input.gpus}`);
  const objective = input.objective ?? "min-latency";
  if (objective === "max-slo-attainment" && input.slo === undefined) {
    throw new RangeError("the max-slo-attainment objective needs an slo");
  }
  const metric = input.latencyMetric ?? DEFAULT_LATENCY_METRIC;
  const latencyModel = input.latencyModel ?? new TierLatencyModel(input.sim === undefined ? {} : { settings: input.sim });
  const [simsBefore, hitsBefore] = [latencyModel.simulations, latencyModel.cacheHits];
  const names = new Set<string>();
  for (const t of input.tiers) {
    if (names.has(t.name)) throw new RangeError(`tier ${t.name} is listed twice`);
    names.add(t.name);
  }
  // A deployment on another GPU kind is another cluster: nothing carries over, nothing counts as kept.
  const current = input.current?.gpu === gpu.id ? new Map(input.current.tiers.map((t) => [t.name, t])) : new Map<string, TierDeployment>();
  const cost = input.current === undefined ? 0 : (input.reallocationCostPerGpu ?? DEFAULT_REALLOCATION_COST_PER_GPU);

  const tiers = input.tiers.map((t) => {
    const model = typeof t.model === "string" ? lookup(MODELS, t.model, "model") : t.model;
    const longest = t.traffic.reduce((m, r) => Math.max(m, r.inputTokens + r.outputTokens), 0);
    const fit = {
      model,
      gpu,
      minKvTokens: Math.max(input.minKvTokens ?? DEFAULT_MIN_KV_TOKENS, longest),
      ...(input.tensorParallelDegrees === undefined ? {} : { tensorParallelDegrees: input.tensorParallelDegrees }),
      gpuMemoryUtilization: latencyModel.settings.gpuMemoryUtilization,
      kvCacheDtype: latencyModel.settings.kvCacheDtype,
    };
    return { input: t, model, fit, active: t.traffic.length > 0 };
  });

  // Each tier may use at most what the others' smallest deployments leave.
  const fewest = tiers.map((t) => (t.active ? minimumGpus(t.fit) : 0));
  const fewestTotal = fewest.reduce((s, g) => s + g, 0);
  if (!Number.isFinite(fewestTotal) || fewestTotal > input.gpus) {
    const detail = tiers
      .flatMap((t, i) => (t.active ? [`${t.input.name} (${t.model.id}) needs ≥ ${fewest[i]}`] : []))
      .join(", ");
    throw new RangeError(`${input.gpus}× ${gpu.id} cannot hold one replica of every tier with traffic: ${detail}`);
  }

  const figures = tiers.map((t, i) => {
    if (!t.active) return [];
    const options = enumerateDeploymentOptions({ ...t.fit, maxGpus: input.gpus - (fewestTotal - fewest[i]!) });
    const now = current.get(t.input.name);
    if (
      now !== undefined &&
      !options.some((o) => o.tensorParallel === now.tensorParallel && o.replicas === now.replicas) &&
      now.tensorParallel * now.replicas <= input.gpus
    ) {
      const kv = replicaKvCapacity(t.fit, now.tensorParallel);
      if (kv !== undefined) {
        options.push({ ...now, gpus: now.tensorParallel * now.replicas, kvCapacityTokens: kv });
      }
    }
    const traffic = tierTraffic(t.input.traffic);
    return options.map((option) => ({ option, latency: latencyModel.evaluate(t.model, gpu, option, traffic, input.slo) }));
  });

  const active = tiers.flatMap((t, i) => (t.active ? [i] : []));
  const milpTiers: TierCandidates[] = active.map((i) => {
    const t = tiers[i]!;
    const candidates: Candidate[] = figures[i]!
      .filter((f) => f.latency.refused === 0)
      .map((f) => ({
        option: f.option,
        latencyMs: latencyOf(f.latency, metric),
        ...(f.latency.sloAttainment === undefined ? {} : { sloAttainment: f.latency.sloAttainment }),
      }));
    const now = current.get(t.input.name);
    return {
      tier: t.input.name,
      requests: t.input.traffic.length,
      candidates,
      ...(now === undefined ? {} : { current: now }),
    };
  });
  const solved = await solveInnerMilp({ gpus: input.gpus, tiers: milpTiers, objective, reallocationCostPerGpu: cost });

  const plans: TierPlan[] = tiers.map((t, i) => {
    const choice = solved.choices.find((c) => c.tier === t.input.name);
    const chosen = choice === undefined ? undefined : figures[i]!.find((f) => f.option === choice.candidate.option);
    return {
      name: t.input.name,
      model: t.model.id,
      requests: t.input.traffic.length,
      option: chosen?.option,
      latency: chosen?.latency,
      movedGpus: choice?.movedGpus ?? gpusMoved(current.get(t.input.name), undefined),
      candidates: figures[i]!,
    };
  });
  const deployment: Deployment = {
    gpu: gpu.id,
    tiers: plans.flatMap((p) =>
      p.option === undefined ? [] : [{ name: p.name, tensorParallel: p.option.tensorParallel, replicas: p.option.replicas }],
    ),
  };
  latencyModel.cache.save();
  return {
    gpu: gpu.id,
    gpus: input.gpus,
    gpusUsed: solved.gpusUsed,
    objective,
    latencyMetric: metric,
    slo: input.slo,
    worstLatencyMs: solved.worstLatencyMs,
    sloAttainment: solved.sloAttainment,
    movedGpus: plans.reduce((s, p) => s + p.movedGpus, 0),
    tiers: plans,
    deployment,
    simulations: latencyModel.simulations - simsBefore,
    cacheHits: latencyModel.cacheHits - hitsBefore,
  };
}

function lookup<T>(table: Readonly<Record<string, T>>, id: string, what: string): T {
  const found = table[id];
  if (found === undefined) throw new RangeError(`unknown ${what} "${id}": use one of ${Object.keys(table).join(", ")}`);
  return found;
}
