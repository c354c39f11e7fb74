// `weir bench --virtual` without the command line: the trace's arrivals with
// the labelled data set's prompts and recorded answers, replayed in virtual
// time on four deployments of the same GPUs (small only, large only, a
// static cascade on an even split, and Weir's planned cascade), same
// arrivals and seed. Kept apart from the command so tests can call it.

import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import type { PlacementPolicyName } from "@weir/placement";
import type { InnerObjective } from "@weir/planner";
import { type DeploymentFigures, deploymentFigures } from "./bench-figures.js";
import { type BenchDeployment, baselineDeployments } from "./bench-deployments.js";
import type { TierShape } from "../warmup-bench/warmup-sim.js";
import { rowPaths } from "./bench-paths.js";
import { type BenchRows, type BenchSetup, prepareBench } from "./bench-setup.js";
import { type BenchRequest, loadArrivals, pairRequests, plannerTrace } from "./bench-workload.js";
import type { WorkloadRow } from "../warmup-bench/gsm8k-workload.js";
import { simulateDeployment } from "./simulate-deployment.js";
import { type WeirPlan, planWeirDeployment } from "./weir-deployment.js";

export interface RunBenchOptions {
  tracePath: string;
  dataset: readonly string[];
  artifacts: string;
  gpus: number;
  gpu: string;
  rateScale: number;
  requests: number;
  sloMs: number;
  minQuality: number;
  policy: PlacementPolicyName;
  seed: number;
  /** Replay the artifact's held-out rows (default) or every row. */
  rows?: BenchRows;
  /** Weir plans for the arrivals at this factor instead of --rate-scale (plan for the peak, serve what comes). */
  planRateScale?: number | undefined;
  /** Weir plans on this many of the trace's first requests instead of --requests. */
  planRequests?: number | undefined;
  /** Weir's inner MILP objective (default min-latency: the worst tier's p95). */
  objective?: InnerObjective | undefined;
  cacheFile?: string | undefined;
  /** Progress: a named stage and how far it is. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DeploymentResult {
  name: string;
  description: string;
  /** e.g. "8 × llama-3.1-8b/h100"; a tier without instances is left out. */
  instances: string[];
  gpus: number;
  figures: DeploymentFigures;
}

export interface BenchReport {
  /** Every latency and throughput is simulated (@weir/sim, virtual time), not measured on GPUs. */
  simulated: true;
  mode: "virtual";
  gpus: number;
  gpu: string;
  trace: { file: string; requests: number; rateScale: number; spanS: number; requestsPerSecond: number };
  dataset: { name: string; rows: number; note: string };
  lengths: string;
  artifacts: string;
  stats: string;
  prices: string;
  sloMs: number;
  minQuality: number;
  policy: PlacementPolicyName;
  seed: number;
  weir: { knob: string; quality: number; plannedWorstP95Ms: number | undefined; planned: number; front: number; plannedDeployment: string[] };
  deployments: DeploymentResult[];
  /** The issue's target: Weir vs large-only, throughput ratio and accuracy kept. */
  target: { throughputRatio: number; goodputRatio: number; accuracyKept: number; weirMeetsSlo: boolean; met: boolean; reading: string };
  wallClockS: number;
}

export async function runBench(o: RunBenchOptions): Promise<BenchReport> {
  const t0 = performance.now();
  o.onProgress?.("scoring the data set", 0, 1);
  const { artifact, ds, cascade, planningCascade, smallModel, largeModel, rows, prices, rowsNote } = await prepareBench(o);
  const requests = pairRequests(loadArrivals(o.tracePath, o.requests, o.rateScale), rows);

  const weir = await planBenchWeir(o, { planningCascade, smallModel, largeModel, rows }, requests);
  const deployments: BenchDeployment[] = [...withPlannedSingleTiers(baselineDeployments(o.gpus, o.gpu, { small: smallModel, large: largeModel }), weir.singleTier), weir.deployment];

  const results: DeploymentResult[] = [];
  for (const [i, d] of deployments.entries()) {
    o.onProgress?.(`simulating ${d.name}`, i, deployments.length);
    const served = simulateDeployment(d, requests, rowPaths(cascade, d.routing), { policy: o.policy, seed: o.seed, prices });
    results.push({ name: d.name, description: d.description, instances: instancesOf(d), gpus: gpusOf(d), figures: deploymentFigures(served, o.sloMs) });
  }
  o.onProgress?.("done", deployments.length, deployments.length);

  const spanS = requests.at(-1)!.arrivalMs / 1000;
  const k = weir.candidate.knob;
  return {
    simulated: true,
    mode: "virtual",
    gpus: o.gpus,
    gpu: o.gpu,
    trace: { file: relative(process.cwd(), o.tracePath) || o.tracePath, requests: requests.length, rateScale: o.rateScale, spanS, requestsPerSecond: spanS > 0 ? requests.length / spanS : 0 },
    dataset: { name: ds.name, rows: ds.rows.length, note: rowsNote },
    lengths: `arrivals from the trace; prompts and output lengths from ${ds.name}'s prompts and each tier's recorded answer (Llama 3 BPE); the trace's lengths are not used`,
    artifacts: o.artifacts,
    stats: `sim stand-ins: small = ${smallModel}, large = ${largeModel}, on ${o.gpu.toUpperCase()} (@weir/sim roofline step-time model, virtual time)`,
    prices: `the artifact's tier prices, USD per 1M tokens (${artifact.tiers.map((t) => `${t.name}/${t.model}: ${t.pricing.inputPerMTok} in, ${t.pricing.outputPerMTok} out`).join("; ")}), applied to Llama 3 token counts of every generation (a rejected small answer is paid too)`,
    sloMs: o.sloMs,
    minQuality: o.minQuality,
    policy: o.policy,
    seed: o.seed,
    weir: {
      knob: k.onlyTier !== undefined ? `${cascade.tiers[k.onlyTier]} only` : `β = ${k.beta.toFixed(4)}, threshold shift ${k.thresholdShift}`,
      quality: weir.candidate.quality,
      plannedWorstP95Ms: weir.candidate.latencyMs,
      planned: weir.planned,
      front: weir.front,
      plannedDeployment: (weir.candidate.plan?.tiers ?? []).flatMap((t) => (t.option === undefined ? [] : [`${t.name}: TP${t.option.tensorParallel} × ${t.option.replicas}`])),
    },
    deployments: results,
    target: targetCheck(results),
    wallClockS: (performance.now() - t0) / 1000,
  };
}

/**
 * The issue's target: ≥ 3× the large-only throughput at the same p95 SLO,
 * keeping ≥ 97 % of its accuracy. On one fixed arrival stream a deployment
 * that keeps up completes requests at the arrival rate, so the raw ratio is
 * near 1 unless large-only falls behind; goodput (requests/s within the
 * SLO) and whether Weir's p95 meets the SLO are reported with it. A fair
 * "× throughput at the same SLO" needs each deployment's highest sustainable
 * rate (a rate sweep), which this single run does not measure.
 */
export function targetCheck(results: readonly DeploymentResult[]): BenchReport["target"] {
  const get = (name: string): DeploymentFigures => {
    const r = results.find((x) => x.name === name);
    if (r === undefined) throw new Error(`no ${name} run`);
    return r.figures;
  };
  const weir = get("weir");
  const large = get("large-only");
  const throughputRatio = weir.requestsPerSecond / large.requestsPerSecond;
  const goodputRatio = large.goodputRequestsPerSecond === 0 ? Number.POSITIVE_INFINITY : weir.goodputRequestsPerSecond / large.goodputRequestsPerSecond;
  const accuracyKept = large.accuracy === 0 ? 0 : weir.accuracy / large.accuracy;
  const weirMeetsSlo = weir.e2eMs.p95 <= weir.sloMs;
  const met = weirMeetsSlo && throughputRatio >= 3 && accuracyKept >= 0.97;
  const reading =
    `Weir/large-only: ${throughputRatio.toFixed(2)}× completed req/s, ${goodputRatio.toFixed(2)}× goodput within the SLO, ` +
    `${(accuracyKept * 100).toFixed(1)}% of large-only's accuracy; Weir's p95 e2e ${weirMeetsSlo ? "meets" : "misses"} the SLO. ` +
    `Target (≥ 3× throughput at the same p95 SLO, ≥ 97% accuracy) ${met ? "met" : "not met"} in this run (simulated).`;
  return { throughputRatio, goodputRatio, accuracyKept, weirMeetsSlo, met, reading };
}

export function instancesOf(d: BenchDeployment): string[] {
  return [d.small, d.large].filter((t) => t.instances > 0).map((t) => `${t.instances} × ${t.preset}`);
}

export function gpusOf(d: BenchDeployment): number {
  const tp = (preset: string): number => Number(/x(\d+)$/.exec(preset)?.[1] ?? 1);
  return [d.small, d.large].reduce((n, t) => n + t.instances * tp(t.preset), 0);
}

/** The requests Weir plans for: the replayed ones, unless --plan-rate-scale / --plan-requests ask for other arrivals. */
export function planWorkload(
  o: Pick<RunBenchOptions, "tracePath" | "requests" | "rateScale" | "planRateScale" | "planRequests">,
  replayed: readonly BenchRequest[],
  rows: readonly WorkloadRow[],
): readonly BenchRequest[] {
  if (o.planRateScale === undefined && o.planRequests === undefined) return replayed;
  return pairRequests(loadArrivals(o.tracePath, o.planRequests ?? o.requests, o.planRateScale ?? o.rateScale), rows);
}

/**
 * Small only and large only as the planner deploys them for this traffic
 * (its best TP × replicas on all the GPUs), not a fixed fill: the cascade is
 * compared with the strongest single-tier deployments.
 */
export function withPlannedSingleTiers(baselines: BenchDeployment[], planned: readonly [TierShape | undefined, TierShape | undefined]): BenchDeployment[] {
  return baselines.map((d) => {
    if (d.routing.kind !== "only") return d;
    const t = d.routing.tier;
    const shape = planned[t];
    if (shape === undefined) return d;
    const tp = Number(/x(\d+)$/.exec(shape.preset)?.[1] ?? 1);
    const described = `${d.description}, ${shape.instances} × TP${tp} (the planner's deployment of it)`;
    return t === 0 ? { ...d, description: described, small: shape } : { ...d, description: described, large: shape };
  });
}

/** Weir's plan for a bench run: the planner on the training rows, for the replayed (or --plan-*) arrivals. */
export function planBenchWeir(
  o: Pick<RunBenchOptions, "tracePath" | "requests" | "rateScale" | "planRateScale" | "planRequests" | "gpus" | "gpu" | "minQuality" | "sloMs" | "cacheFile" | "objective" | "onProgress">,
  setup: Pick<BenchSetup, "planningCascade" | "smallModel" | "largeModel" | "rows">,
  requests: readonly BenchRequest[],
): Promise<WeirPlan> {
  return planWeirDeployment({
    gpus: o.gpus,
    gpu: o.gpu,
    trace: plannerTrace(planWorkload(o, requests, setup.rows)),
    cascade: setup.planningCascade,
    simModels: [setup.smallModel, setup.largeModel],
    minQuality: o.minQuality,
    sloMs: o.sloMs,
    cacheFile: o.cacheFile,
    objective: o.objective,
    onPlan: (done, total) => o.onProgress?.("planning Weir's deployment", done, total),
  });
}
