// The virtual-time placement benchmark: one arrival trace on N simulated
// instances of one preset, replayed once per (placement policy, arrival-rate
// scale), every run on the same trace with the same seed, so the policies
// are compared side by side. Pure virtual time (a discrete-event loop, no
// timers). Figures come in two kinds that must not be mixed up: `simulated`
// is what the modelled GPUs would see (virtual ms), `wallClock` is what
// running the simulation cost this machine.

import { type TraceRequest, loadTrace, scaleTrace } from "@weir/datasets";
import { type PlacementPolicyName, type PlacementPolicyOptions, createPlacementPolicy } from "@weir/placement";
import { type Distribution, VirtualCluster, summarizeResults } from "@weir/sim";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { policyPlacement } from "./policy-placement.js";
import { traceSpecs } from "@weir/sim";

export interface SimBenchOptions {
  /** Mooncake JSON lines or Azure CSV. */
  tracePath: string;
  instances: number;
  /** A @weir/sim preset id, e.g. llama-3.1-8b/h100. */
  preset: string;
  /** Placement policies to compare, each on the same trace and seed. */
  policies: readonly PlacementPolicyName[];
  /** Arrival-rate factors to sweep (2 = twice the requests per second). */
  rateScales: readonly number[];
  /** Seed of the step-time jitter. */
  seed: number;
  /** Length-aware policies move requests that outgrow their group (CascadeInfer). Default true. */
  migration?: boolean;
  /** Give policies each request's true output length (an upper bound on prediction). Default false. */
  oracleOutputLengths?: boolean;
  /** Policy tunables (weights, length groups), the same for every policy. */
  policyOptions?: PlacementPolicyOptions;
  /** Told when each run finishes (progress for long sweeps). */
  onRun?: (run: SimBenchRun, index: number, total: number) => void;
}

/** One policy at one arrival rate. */
export interface SimBenchRun {
  policy: PlacementPolicyName;
  rateScale: number;
  /** Requests refused: prompt + output beyond the instance's context or KV capacity. */
  refused: number;
  /** In virtual time: what the modelled deployment would see. */
  simulated: {
    completed: number;
    /** First arrival to last finish, s. */
    durationS: number;
    ttftMs: Distribution;
    tpotMs: Distribution;
    e2eMs: Distribution;
    /** Cached prompt tokens / prompt tokens. */
    prefixHitRate: number;
    requestsPerSecond: number;
    outputTokensPerSecond: number;
    promptTokensPerSecond: number;
    preemptions: number;
    /** Requests moved to another instance by recompute (length-aware policies). */
    migrations: number;
    /** Requests served per instance, by index. */
    requestsPerInstance: number[];
  };
  /** Placements the policy declined (none eligible), sent to the least-loaded instance instead. */
  placementRefusals: number;
  /** On this machine: what simulating this run cost. */
  wallClock: { simulateS: number };
}

export interface SimBenchReport {
  /** The trace file's name. */
  trace: string;
  preset: string;
  instances: number;
  seed: number;
  /** Requests in the trace. */
  requests: number;
  /** Arrivals per second at rate scale 1 (first to last arrival). */
  baseArrivalRate: number;
  migration: boolean;
  oracleOutputLengths: boolean;
  runs: SimBenchRun[];
  /** On this machine: what the whole benchmark cost. */
  wallClock: {
    loadS: number;
    simulateS: number;
    /** Peak resident memory of the whole process (getrusage maxRSS), MiB. */
    peakRssMiB: number;
  };
}

export function runSimBench(o: SimBenchOptions): SimBenchReport {
  if (o.policies.length === 0 || o.rateScales.length === 0) throw new Error("sim-bench needs at least one policy and one rate scale");
  const t0 = performance.now();
  const trace = loadTrace(o.tracePath);
  const loadS = (performance.now() - t0) / 1000;
  const runs: SimBenchRun[] = [];
  const total = o.rateScales.length * o.policies.length;
  for (const rateScale of o.rateScales) {
    const scaled = rateScale === 1 ? trace : scaleTrace(trace, { rate: rateScale });
    for (const policy of o.policies) {
      const run = runOne(o, scaled, policy, rateScale);
      runs.push(run);
      o.onRun?.(run, runs.length - 1, total);
    }
  }
  const last = trace.reduce((m, r) => Math.max(m, r.arrivalMs), 0);
  return {
    trace: basename(o.tracePath),
    preset: o.preset,
    instances: o.instances,
    seed: o.seed,
    requests: trace.length,
    baseArrivalRate: last > 0 ? (trace.length * 1000) / last : 0,
    migration: o.migration !== false,
    oracleOutputLengths: o.oracleOutputLengths === true,
    runs,
    wallClock: {
      loadS,
      simulateS: runs.reduce((s, r) => s + r.wallClock.simulateS, 0),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    },
  };
}

function runOne(o: SimBenchOptions, trace: readonly TraceRequest[], policyName: PlacementPolicyName, rateScale: number): SimBenchRun {
  const t0 = performance.now();
  let nowMs = 0;
  const policy = createPlacementPolicy(policyName, { ...o.policyOptions, now: () => nowMs });
  // The cluster needs the hook at construction and the hook needs the cores: a late-bound wrapper.
  let bound: ReturnType<typeof policyPlacement> | undefined;
  const cluster = new VirtualCluster({
    seed: o.seed,
    instances: Array.from({ length: o.instances }, (_, i) => ({ preset: o.preset, instanceId: `sim-${i + 1}` })),
    migrate: (req, instances, now) => bound?.migrate?.(req, instances, now),
    onComplete: (r) => bound?.observe(r.promptTokens, r.outputTokens),
  });
  bound = policyPlacement(policy, cluster.instances, {
    ...(o.migration !== undefined ? { migration: o.migration } : {}),
    ...(o.oracleOutputLengths !== undefined ? { oracleOutputLengths: o.oracleOutputLengths } : {}),
  });
  const place = bound.placement;
  const placement: typeof place = (req, instances, now) => {
    nowMs = now;
    return place(req, instances, now);
  };
  const maxModelLen = cluster.instances[0]!.config.maxModelLen;
  let refused = 0;
  for (const { spec, arrivalMs } of traceSpecs(trace, cluster.blockSize)) {
    // The engine would refuse it at submission (vLLM answers 400): count it, do not stop the run.
    if (spec.promptTokens + spec.outputTokens > maxModelLen) {
      refused++;
      continue;
    }
    cluster.submit(spec, arrivalMs, placement);
  }
  cluster.run();
  const simulateS = (performance.now() - t0) / 1000;

  const results = cluster.results;
  const summary = summarizeResults(results);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  let promptTokens = 0;
  let migrations = 0;
  const requestsPerInstance = new Array<number>(o.instances).fill(0);
  for (const r of results) {
    if (r.arrivalMs < start) start = r.arrivalMs;
    if (r.finishMs > end) end = r.finishMs;
    promptTokens += r.promptTokens;
    migrations += r.migrations;
    requestsPerInstance[r.instance] = (requestsPerInstance[r.instance] ?? 0) + 1;
  }
  const durationS = end > start ? (end - start) / 1000 : 0;
  return {
    policy: policyName,
    rateScale,
    refused,
    simulated: {
      completed: results.length,
      durationS,
      ttftMs: summary.ttftMs,
      tpotMs: summary.tpotMs,
      e2eMs: summary.e2eMs,
      prefixHitRate: summary.prefixHitRate,
      requestsPerSecond: durationS > 0 ? results.length / durationS : 0,
      outputTokensPerSecond: summary.outputTokensPerSecond,
      promptTokensPerSecond: durationS > 0 ? promptTokens / durationS : 0,
      preemptions: summary.preemptions,
      migrations,
      requestsPerInstance,
    },
    placementRefusals: bound.refusals,
    wallClock: { simulateS },
  };
}
