// The virtual-time benchmark: a whole arrival trace on N simulated instances
// of one preset, placed by a policy, in pure virtual time (a discrete-event
// loop, no timers). Figures come in two kinds that must not be mixed up:
// `simulated` is what the modelled GPUs would see (virtual ms), `wallClock`
// is what running the simulation cost this machine.

import { loadTrace, scaleTrace } from "@weir/datasets";
import { type Distribution, VirtualCluster, summarizeResults } from "@weir/sim";
import { performance } from "node:perf_hooks";
import { type PlacementPolicyName, createPlacement } from "./placement-policies.js";
import { traceSpecs } from "./trace-specs.js";

export interface SimBenchOptions {
  /** Mooncake JSON lines or Azure CSV. */
  tracePath: string;
  instances: number;
  /** A @weir/sim preset id, e.g. llama-3.1-8b/h100. */
  preset: string;
  policy: PlacementPolicyName;
  /** Arrival-rate factor (2 = twice the requests per second). */
  rateScale: number;
  /** Seed of the step-time jitter. */
  seed: number;
}

export interface SimBenchReport {
  trace: string;
  preset: string;
  instances: number;
  policy: PlacementPolicyName;
  rateScale: number;
  seed: number;
  /** Requests in the trace. */
  requests: number;
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
    /** Requests each instance served, by index. */
    requestsPerInstance: number[];
  };
  /** On this machine: what running the simulation cost. */
  wallClock: {
    loadS: number;
    simulateS: number;
    /** Peak resident memory of the whole process (getrusage maxRSS), MiB. */
    peakRssMiB: number;
  };
}

export function runSimBench(o: SimBenchOptions): SimBenchReport {
  const t0 = performance.now();
  const loaded = loadTrace(o.tracePath);
  const trace = o.rateScale === 1 ? loaded : scaleTrace(loaded, { rate: o.rateScale });
  const t1 = performance.now();

  const cluster = new VirtualCluster({
    seed: o.seed,
    instances: Array.from({ length: o.instances }, (_, i) => ({ preset: o.preset, instanceId: `sim-${i + 1}` })),
  });
  const maxModelLen = cluster.instances[0]!.config.maxModelLen;
  const placement = createPlacement(o.policy);
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
  const t2 = performance.now();

  const results = cluster.results;
  const summary = summarizeResults(results);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  let promptTokens = 0;
  const requestsPerInstance = new Array<number>(o.instances).fill(0);
  for (const r of results) {
    if (r.arrivalMs < start) start = r.arrivalMs;
    if (r.finishMs > end) end = r.finishMs;
    promptTokens += r.promptTokens;
    requestsPerInstance[r.instance] = (requestsPerInstance[r.instance] ?? 0) + 1;
  }
  const durationS = end > start ? (end - start) / 1000 : 0;
  return {
    trace: o.tracePath,
    preset: o.preset,
    instances: o.instances,
    policy: o.policy,
    rateScale: o.rateScale,
    seed: o.seed,
    requests: trace.length,
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
      requestsPerInstance,
    },
    wallClock: {
      loadS: (t1 - t0) / 1000,
      simulateS: (t2 - t1) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    },
  };
}
