// `weir bench --live` without the command line: the same four deployments
// and the same paired requests as --virtual, each served by the whole stack
// (gateway, router, qe-judge, scheduler, kv-cache-manager, model-workers as
// processes on a fresh NATS) with sim engines running `speedup` times faster
// than the modelled GPUs, replayed open loop and timed by the client.

import { relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { standInsFor } from "@weir/planner";
import { type BenchDeployment, baselineDeployments } from "../bench-deployments.js";
import { prepareBench } from "../bench-setup.js";
import { loadArrivals, pairRequests } from "../bench-workload.js";
import { type RunBenchOptions, planBenchWeir, targetCheck, withPlannedSingleTiers } from "../run-bench.js";
import { liveFigures } from "./live-figures.js";
import type { LiveTier } from "./live-config.js";
import { type LiveBenchReport, type LiveDeploymentResult, compactRecord } from "./live-report.js";
import { replayItems, rowLabels, warmUpItems } from "./live-workload.js";
import { runLiveDeployment } from "./run-live-deployment.js";

export const DEPLOYMENT_NAMES = ["small-only", "large-only", "static-cascade", "weir"] as const;

export interface LiveBenchOptions extends Omit<RunBenchOptions, "onProgress"> {
  speedup: number;
  /** Deployments to run (default all four), by name. */
  deployments?: readonly string[] | undefined;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * Client deadline of one request in model time: long enough that only a
 * deployment far past the SLO hits it, short enough that nothing hangs.
 */
export function deadlineModelMs(sloMs: number): number {
  return Math.max(6 * sloMs, 60_000);
}

export async function runLiveBench(o: LiveBenchOptions): Promise<LiveBenchReport> {
  const t0 = performance.now();
  const wanted = o.deployments ?? DEPLOYMENT_NAMES;
  const unknown = wanted.filter((n) => !(DEPLOYMENT_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`no deployment named ${unknown.join(", ")}: pick from ${DEPLOYMENT_NAMES.join(", ")}`);
  o.onProgress?.("scoring the data set", 0, 1);
  const { artifact, ds, sourceName, planningCascade, rows, rowsNote } = await prepareBench(o);
  // The sim engines replay answer texts; only GSM8K records them (MMLU has correctness only).
  if (sourceName !== "gsm8k") throw new Error(`--live replays recorded answer texts, which only the gsm8k data set has (got ${sourceName})`);
  const requests = pairRequests(loadArrivals(o.tracePath, o.requests, o.rateScale), rows);
  const tier = (i: number): LiveTier => {
    const t = artifact.tiers[i]!;
    return { name: t.name, model: t.model, pricing: t.pricing };
  };
  const liveTiers: [LiveTier, LiveTier] = [tier(0), tier(1)];
  const [smallModel, largeModel] = standInsFor(artifact.tiers.map((t) => t.name)) as [string, string];

  let baselines = baselineDeployments(o.gpus, o.gpu, { small: smallModel, large: largeModel });
  let weirInfo: LiveBenchReport["weir"];
  let weirDeployment: BenchDeployment | undefined;
  // The planner also gives the single-tier baselines their best deployment for this traffic.
  if (wanted.some((n) => n !== "static-cascade")) {
    const cascade = planningCascade;
    const weir = await planBenchWeir(o, { planningCascade, smallModel, largeModel, rows }, requests);
    baselines = withPlannedSingleTiers(baselines, weir.singleTier);
    const k = weir.candidate.knob;
    weirDeployment = weir.deployment;
    weirInfo = {
      knob: k.onlyTier !== undefined ? `${cascade.tiers[k.onlyTier]} only` : `β = ${k.beta.toFixed(4)}, threshold shift ${k.thresholdShift}`,
      quality: weir.candidate.quality,
      plannedDeployment: (weir.candidate.plan?.tiers ?? []).flatMap((t) => (t.option === undefined ? [] : [`${t.name}: TP${t.option.tensorParallel} × ${t.option.replicas}`])),
      budget: k.onlyTier !== undefined ? "one-tier config (no router budget)" : "applied through weir_deployment (β and threshold shift by the router, workers by the scheduler)",
    };
  }
  const deployments: BenchDeployment[] = [...baselines, ...(weirDeployment === undefined ? [] : [weirDeployment])].filter((d) => wanted.includes(d.name));
  if (!wanted.includes("weir")) weirInfo = undefined;

  const deadlineMs = deadlineModelMs(o.sloMs) / o.speedup;
  const items = replayItems(requests, rows);
  const labels = rowLabels(ds, liveTiers);
  const results: LiveDeploymentResult[] = [];
  for (const d of deployments) {
    const run = await runLiveDeployment(d, {
      tiers: liveTiers,
      artifacts: resolve(o.artifacts),
      replayDataset: sourceName,
      speedup: o.speedup,
      seed: o.seed,
      policy: o.policy,
      requestTimeoutMs: deadlineMs + 1000,
      items,
      warmUp: warmUpItems(Math.max(4, 2 * (d.small.instances + d.large.instances)), rows, items),
      labels,
      deadlineMs,
      ...(o.onProgress === undefined ? {} : { onStage: o.onProgress }),
    });
    const { model, ...live } = liveFigures(run.records, o.sloMs, o.speedup);
    results.push({
      name: d.name,
      description: d.description,
      instances: instancesOf(d),
      gpus: gpusOf(d),
      figures: model,
      live,
      notes: run.notes,
      startupS: run.startupS,
      warmUpS: run.warmUpS,
      replayS: run.replayS,
      records: run.records.map(compactRecord),
    });
  }
  o.onProgress?.("done", 1, 1);

  const spanS = requests.at(-1)!.arrivalMs / 1000;
  const hasTarget = results.some((r) => r.name === "weir") && results.some((r) => r.name === "large-only");
  const target = hasTarget ? targetCheck(results) : undefined;
  return {
    mode: "live",
    simulatedEngines: true,
    speedup: o.speedup,
    gpus: o.gpus,
    gpu: o.gpu,
    trace: { file: relative(process.cwd(), o.tracePath) || o.tracePath, requests: requests.length, rateScale: o.rateScale, spanS, requestsPerSecond: spanS > 0 ? requests.length / spanS : 0 },
    dataset: { name: ds.name, rows: ds.rows.length, note: rowsNote },
    artifacts: o.artifacts,
    stats: `sim stand-ins: small = ${smallModel}, large = ${largeModel}, on ${o.gpu.toUpperCase()} (@weir/sim engines at ${o.speedup}× real time inside real model-worker processes)`,
    prices: `the artifact's tier prices, USD per 1M tokens (${artifact.tiers.map((t) => `${t.name}/${t.model}: ${t.pricing.inputPerMTok} in, ${t.pricing.outputPerMTok} out`).join("; ")}), as the gateway charges them (weir.cost_usd: every generation, a rejected small answer included)`,
    sloMs: o.sloMs,
    minQuality: o.minQuality,
    policy: o.policy,
    seed: o.seed,
    deadlineMs: deadlineModelMs(o.sloMs),
    ...(weirInfo === undefined ? {} : { weir: weirInfo }),
    deployments: results,
    ...(target === undefined ? {} : { target: { ...target, reading: target.reading.replace("(simulated)", `(live stack, sim engines at ${o.speedup}×)`) } }),
    wallClockS: (performance.now() - t0) / 1000,
  };
}

function instancesOf(d: BenchDeployment): string[] {
  return [d.small, d.large].filter((t) => t.instances > 0).map((t) => `${t.instances} × ${t.preset}`);
}

function gpusOf(d: BenchDeployment): number {
  const tp = (preset: string): number => Number(/x(\d+)$/.exec(preset)?.[1] ?? 1);
  return [d.small, d.large].reduce((n, t) => n + t.instances * tp(t.preset), 0);
}
