// `weir bench --virtual --sweep`: each deployment's highest sustainable
// arrival rate — the largest factor on the trace's arrivals at which the
// p95 end-to-end latency still meets the SLO — found by a geometric search
// of virtual-time runs. This is the issue's "× the throughput of a single
// large-model deployment at the same p95 latency SLO": the same arrivals,
// prompts and answers for everyone; only the deployment and its routing
// differ. Weir re-plans at every probed rate (the planner plans for the
// traffic it is given). Large-only is tried at every tensor-parallel degree
// the 70B fits, and the best is the baseline. Everything is SIMULATED.

import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import type { PlacementPolicyName } from "@weir/placement";
import type { InnerObjective } from "@weir/planner";
import { TENSOR_PARALLEL_DEGREES } from "@weir/sim";
import { type DeploymentFigures, deploymentFigures } from "../bench-figures.js";
import { type BenchDeployment, baselineDeployments, presetId } from "../bench-deployments.js";
import { rowPaths, type Routing } from "../bench-paths.js";
import { type BenchRows, prepareBench } from "../bench-setup.js";
import { loadTrace } from "@weir/datasets";
import { type BenchRequest, pairRequests, plannerTrace } from "../bench-workload.js";
import { gpusOf, instancesOf } from "../run-bench.js";
import { simulateDeployment } from "../simulate-deployment.js";
import { planWeirDeployment } from "../weir-deployment.js";
import { type TierShares, fluidRate, perfectRouterLargeShare, tierShares } from "./capacity-bound.js";
import { maxSustainableScale } from "./max-rate-search.js";
import { arrivalsForDuration } from "./rate-workload.js";

export interface RateSweepOptions {
  tracePath: string;
  dataset: readonly string[];
  artifacts: string;
  gpus: number;
  gpu: string;
  /** Seconds of (scaled) arrivals each probe replays: several times the SLO, so a deployment that falls behind shows it. */
  durationS: number;
  /** Weir plans on the first this many requests of each probe's arrivals (the planner simulates every option on them). */
  planRequests: number;
  sloMs: number;
  minQuality: number;
  policy: PlacementPolicyName;
  seed: number;
  /** Replay the artifact's held-out rows (default) or every row. */
  rows?: BenchRows;
  cacheFile?: string | undefined;
  /** Weir's inner MILP objective (default min-latency). */
  objective?: InnerObjective | undefined;
  /** First rate factor probed. */
  startScale: number;
  /** Stop when two probes bracketing the limit are within this fraction. */
  tolerance: number;
  maxScale: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface SweepProbe {
  scale: number;
  offeredRequestsPerSecond: number;
  e2eP95Ms: number;
  ok: boolean;
  /** Weir: the plan made for this rate. */
  plan?: string;
}

export interface SweptDeployment {
  name: string;
  description: string;
  /** At the highest sustained rate (Weir's plan there). */
  instances: string[];
  gpus: number;
  /** Highest arrival-rate factor with p95 e2e ≤ SLO; undefined when none down to the smallest probed. */
  maxScale: number | undefined;
  /** True when the search's cap passed (the limit is higher). */
  capped: boolean;
  /** Offered requests per second at maxScale (the sustainable throughput). */
  maxRequestsPerSecond: number;
  /** The run at maxScale. */
  figures: DeploymentFigures | undefined;
  /** Requests with a small / large generation at maxScale. */
  shares: TierShares | undefined;
  probes: SweepProbe[];
}

export interface RateSweepReport {
  /** Every latency and throughput is simulated (@weir/sim, virtual time), not measured on GPUs. */
  simulated: true;
  mode: "virtual-sweep";
  gpus: number;
  gpu: string;
  trace: { file: string; requests: number; baseRequestsPerSecond: number; durationS: number; planRequests: number };
  dataset: { name: string; rows: number; note: string };
  stats: string;
  sloMs: number;
  minQuality: number;
  policy: PlacementPolicyName;
  seed: number;
  tolerance: number;
  deployments: SweptDeployment[];
  /** The large-only deployment with the highest sustainable rate: the baseline. */
  largeOnly: string;
  target: { throughputRatio: number; accuracyKept: number; met: boolean; reading: string };
  bounds: {
    weirShares: TierShares | undefined;
    /** Weir's shares on the measured single-tier capacities, GPUs split ideally, ÷ large-only. */
    weirFluidRatio: number | undefined;
    perfectRouterLargeShare: number | undefined;
    perfectRouterFluidRatio: number | undefined;
    reading: string;
  };
  wallClockS: number;
}

export async function runRateSweep(o: RateSweepOptions): Promise<RateSweepReport> {
  const t0 = performance.now();
  o.onProgress?.("scoring the data set", 0, 1);
  const setup = await prepareBench(o);
  const { cascade, planningCascade, smallModel, largeModel, rows, prices, ds, rowsNote } = setup;
  if (!(o.durationS * 1000 >= 3 * o.sloMs)) throw new RangeError(`--duration-s must be at least 3 × the SLO (${(3 * o.sloMs) / 1000} s) for a queue to show`);
  const trace = loadTrace(o.tracePath);
  if (trace.length < 2) throw new Error(`${o.tracePath} has fewer than 2 requests`);
  const baseRate = (trace.length - 1) / ((trace.at(-1)!.arrivalMs - trace[0]!.arrivalMs) / 1000);
  // The trace's own mean rate, so "offered req/s" is comparable across probes.
  const offered = (scale: number) => baseRate * scale;
  const workload = (scale: number): BenchRequest[] => pairRequests(arrivalsForDuration(trace, scale, o.durationS * 1000), rows);
  const run = (d: BenchDeployment, scale: number) => {
    const requests = workload(scale);
    const paths = rowPaths(cascade, d.routing);
    const figures = deploymentFigures(simulateDeployment(d, requests, paths, { policy: o.policy, seed: o.seed, prices }), o.sloMs);
    return { figures, shares: tierShares(paths, requests), offered: offered(scale) };
  };

  const [smallOnly, , staticCascade] = baselineDeployments(o.gpus, o.gpu, { small: smallModel, large: largeModel });
  const largeOnly: BenchDeployment[] = TENSOR_PARALLEL_DEGREES.filter((tp) => tp <= o.gpus).flatMap((tp) => {
    let preset: string;
    try {
      preset = presetId(largeModel, o.gpu, tp);
    } catch {
      return []; // the weights do not fit at this degree
    }
    const instances = Math.floor(o.gpus / tp);
    const routing: Routing = { kind: "only", tier: 1 };
    return [{ name: `large-only TP${tp}`, description: `every request on ${largeModel}, ${instances} × TP${tp}`, small: { preset: presetId(smallModel, o.gpu, 1), instances: 0 }, large: { preset, instances }, routing }];
  });
  const fixed = [smallOnly!, ...largeOnly, staticCascade!];
  const total = fixed.length + 1;
  const searchOptions = { start: o.startScale, tolerance: o.tolerance, maxScale: o.maxScale, minScale: Math.min(o.startScale, 1 / 64) };

  const swept: SweptDeployment[] = [];
  for (const [i, d] of fixed.entries()) {
    o.onProgress?.(`max rate of ${d.name}`, i, total);
    const runs = new Map<number, ReturnType<typeof run>>();
    const probes: SweepProbe[] = [];
    const search = await maxSustainableScale(async (scale) => {
      const r = run(d, scale);
      runs.set(scale, r);
      const ok = r.figures.e2eMs.p95 <= o.sloMs;
      probes.push({ scale, offeredRequestsPerSecond: r.offered, e2eP95Ms: r.figures.e2eMs.p95, ok });
      return ok;
    }, searchOptions);
    const at = search.scale === undefined ? undefined : runs.get(search.scale);
    swept.push({
      name: d.name,
      description: d.description,
      instances: instancesOf(d),
      gpus: gpusOf(d),
      maxScale: search.scale,
      capped: search.capped,
      maxRequestsPerSecond: at?.offered ?? 0,
      figures: at?.figures,
      shares: at?.shares,
      probes,
    });
  }

  // Weir: plan for the probed rate's traffic, then replay that plan.
  o.onProgress?.("max rate of weir (re-planning at every rate)", fixed.length, total);
  const weirRuns = new Map<number, { run: ReturnType<typeof run>; deployment: BenchDeployment }>();
  const weirProbes: SweepProbe[] = [];
  const weirSearch = await maxSustainableScale(async (scale) => {
    const requests = workload(scale);
    const plan = await planWeirDeployment({
      gpus: o.gpus,
      gpu: o.gpu,
      trace: plannerTrace(requests.slice(0, o.planRequests)),
      cascade: planningCascade,
      simModels: [smallModel, largeModel],
      minQuality: o.minQuality,
      sloMs: o.sloMs,
      cacheFile: o.cacheFile,
      objective: o.objective,
    });
    const r = run(plan.deployment, scale);
    weirRuns.set(scale, { run: r, deployment: plan.deployment });
    const ok = r.figures.e2eMs.p95 <= o.sloMs;
    weirProbes.push({ scale, offeredRequestsPerSecond: r.offered, e2eP95Ms: r.figures.e2eMs.p95, ok, plan: `${plan.deployment.description}: ${instancesOf(plan.deployment).join(" + ")}` });
    return ok;
  }, searchOptions);
  const weirAt = weirSearch.scale === undefined ? undefined : weirRuns.get(weirSearch.scale);
  swept.push({
    name: "weir",
    description: weirAt?.deployment.description ?? "planner: no rate met the SLO",
    instances: weirAt === undefined ? [] : instancesOf(weirAt.deployment),
    gpus: weirAt === undefined ? 0 : gpusOf(weirAt.deployment),
    maxScale: weirSearch.scale,
    capped: weirSearch.capped,
    maxRequestsPerSecond: weirAt?.run.offered ?? 0,
    figures: weirAt?.run.figures,
    shares: weirAt?.run.shares,
    probes: weirProbes,
  });
  o.onProgress?.("done", total, total);

  const bestLarge = swept.filter((s) => s.name.startsWith("large-only")).reduce((a, b) => (b.maxRequestsPerSecond > a.maxRequestsPerSecond ? b : a));
  const weir = swept.at(-1)!;
  const small = swept[0]!;
  return {
    simulated: true,
    mode: "virtual-sweep",
    gpus: o.gpus,
    gpu: o.gpu,
    trace: { file: relative(process.cwd(), o.tracePath) || o.tracePath, requests: trace.length, baseRequestsPerSecond: baseRate, durationS: o.durationS, planRequests: o.planRequests },
    dataset: { name: ds.name, rows: ds.rows.length, note: rowsNote },
    stats: `sim stand-ins: small = ${smallModel}, large = ${largeModel}, on ${o.gpu.toUpperCase()} (@weir/sim roofline step-time model, virtual time)`,
    sloMs: o.sloMs,
    minQuality: o.minQuality,
    policy: o.policy,
    seed: o.seed,
    tolerance: o.tolerance,
    deployments: swept,
    largeOnly: bestLarge.name,
    target: sweepTarget(weir, bestLarge),
    bounds: sweepBounds(weir, small, bestLarge, perfectRouterLargeShare(cascade, everyRowOnce(rows.length), o.minQuality)),
    wallClockS: (performance.now() - t0) / 1000,
  };
}

/** ≥ 3× large-only's sustainable throughput at the same p95 SLO, keeping ≥ 97 % of its accuracy. */
export function sweepTarget(weir: SweptDeployment, large: SweptDeployment): RateSweepReport["target"] {
  const throughputRatio = large.maxRequestsPerSecond === 0 ? Number.POSITIVE_INFINITY : weir.maxRequestsPerSecond / large.maxRequestsPerSecond;
  const accuracyKept = weir.figures === undefined || large.figures === undefined || large.figures.accuracy === 0 ? 0 : weir.figures.accuracy / large.figures.accuracy;
  const met = throughputRatio >= 3 && accuracyKept >= 0.97;
  const reading =
    `Weir sustains ${weir.maxRequestsPerSecond.toFixed(1)} req/s, ${large.name} ${large.maxRequestsPerSecond.toFixed(1)} req/s at p95 e2e ≤ the SLO: ` +
    `${throughputRatio.toFixed(2)}× at ${(accuracyKept * 100).toFixed(1)}% of its accuracy. Target (≥ 3×, ≥ 97%) ${met ? "met" : "not met"} (simulated).`;
  return { throughputRatio, accuracyKept, met, reading };
}

export function sweepBounds(
  weir: SweptDeployment,
  small: SweptDeployment,
  large: SweptDeployment,
  perfectShare: number | undefined,
): RateSweepReport["bounds"] {
  const capacity = { small: small.maxRequestsPerSecond, large: large.maxRequestsPerSecond };
  const usable = capacity.small > 0 && capacity.large > 0;
  const weirFluidRatio = weir.shares === undefined || !usable ? undefined : fluidRate(weir.shares, capacity) / capacity.large;
  const perfectRouterFluidRatio =
    perfectShare === undefined || !usable ? undefined : fluidRate({ small: 1 - perfectShare, large: perfectShare }, capacity) / capacity.large;
  const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);
  const times = (x: number | undefined) => (x === undefined ? "n/a" : `${x.toFixed(2)}×`);
  const reading =
    `With the GPUs split ideally between tiers, Weir's routing (${pct(weir.shares?.small)} of requests generate on small, ${pct(weir.shares?.large)} on large) ` +
    `could reach at most ${times(weirFluidRatio)} large-only's rate on these capacities (small-only ${capacity.small.toFixed(1)}, large-only ${capacity.large.toFixed(1)} req/s). ` +
    `A perfect router that knew every answer's correctness would send ${pct(perfectShare)} to large and reach at most ${times(perfectRouterFluidRatio)}.`;
  return { weirShares: weir.shares, weirFluidRatio, perfectRouterLargeShare: perfectShare, perfectRouterFluidRatio, reading };
}

/** One request per data row: the labels' own shares, whatever a probe's arrivals cycle through. */
function everyRowOnce(rows: number): BenchRequest[] {
  return Array.from({ length: rows }, (_, row) => ({ id: `r${row}`, arrivalMs: 0, row, promptTokens: 0, blockHashes: [], smallOutputTokens: 0, largeOutputTokens: 0 }));
}
