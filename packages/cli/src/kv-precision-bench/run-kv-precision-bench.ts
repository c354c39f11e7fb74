// kv-precision-bench: the same trace on the same N simulated instances, once
// per KV precision, with the same placement policy, in virtual time. What
// changes between runs is only how many bytes a KV block takes (and so how
// much fits) and how long reading it takes; answer quality is not modelled.
// Figures under `simulated` are virtual time on the modelled GPUs;
// `wallClockS` is what running the simulation cost this machine.

import { loadTrace, scaleTrace } from "@weir/datasets";
import { type Distribution, type SimInstanceOptions, VirtualCluster, resolveInstanceConfig, summarizeResults } from "@weir/sim";
import { performance } from "node:perf_hooks";
import { traceSpecs } from "@weir/sim";
import { type BenchPolicyName, createSimPlacement, simInstanceId } from "./sim-placement.js";

export type KvPrecision = NonNullable<SimInstanceOptions["kvPrecision"]>;
export const KV_PRECISIONS = ["fp16", "fp8-anchored", "int8-anchored"] as const satisfies readonly KvPrecision[];

export interface KvPrecisionBenchOptions {
  /** Mooncake JSON lines or Azure CSV. */
  tracePath: string;
  instances: number;
  /** A @weir/sim preset id, e.g. llama-3.1-8b/h100. */
  preset: string;
  policy: BenchPolicyName;
  /** Run once per precision, in this order. */
  precisions: readonly KvPrecision[];
  /** Leading blocks of every sequence kept at 16 bits in the anchored modes. */
  anchorBlocks: number;
  /** Arrival-rate factor (2 = twice the requests per second). */
  rateScale: number;
  seed: number;
  /** Less KV memory than the preset has, in 16-bit tokens (what-if, tests). */
  kvCapacityTokens?: number | undefined;
}

export interface PrecisionRun {
  kvPrecision: KvPrecision;
  /** KV capacity of one instance (its memory is the same in every run). */
  capacity: {
    /** Full-precision blocks: what the engine's load reports as kvBlocksTotal. */
    blocksTotal: number;
    /** Tokens it holds when full of sequences of the trace's mean length (prompt + output). */
    tokensAtMeanLength: number;
    /** Tokens it holds with every block quantised (anchors ignored): the upper bound. */
    tokensUpperBound: number;
    /** tokensAtMeanLength / the fp16 capacity. */
    gain: number;
  };
  /** In virtual time: what the modelled deployment would see. */
  simulated: {
    completed: number;
    /** First arrival to last finish, s. */
    durationS: number;
    ttftMs: Distribution;
    tpotMs: Distribution;
    e2eMs: Distribution;
    /** Prompt tokens served from the prefix cache at first admission / prompt tokens. */
    prefixHitRate: number;
    preemptions: number;
    requestsPerSecond: number;
    outputTokensPerSecond: number;
  };
  /** On this machine: seconds the run took. */
  wallClockS: number;
}

export interface KvPrecisionBenchReport {
  trace: string;
  preset: string;
  instances: number;
  policy: BenchPolicyName;
  anchorBlocks: number;
  rateScale: number;
  seed: number;
  kvCapacityTokens?: number;
  /** Requests in the trace. */
  requests: number;
  /** Requests refused in every run: prompt + output beyond the instance's context or KV capacity. */
  refused: number;
  /** Mean prompt + output tokens of the requests served. */
  meanSequenceTokens: number;
  runs: PrecisionRun[];
  wallClock: { loadS: number; peakRssMiB: number };
}

export function runKvPrecisionBench(o: KvPrecisionBenchOptions): KvPrecisionBenchReport {
  const t0 = performance.now();
  const loaded = loadTrace(o.tracePath);
  const trace = o.rateScale === 1 ? loaded : scaleTrace(loaded, { rate: o.rateScale });
  const loadS = (performance.now() - t0) / 1000;

  const instance = (kvPrecision: KvPrecision, i: number): SimInstanceOptions => ({
    preset: o.preset,
    instanceId: simInstanceId(i),
    kvPrecision,
    anchorBlocks: o.anchorBlocks,
    kvCapacityTokens: o.kvCapacityTokens,
  });
  const fp16 = resolveInstanceConfig(instance("fp16", 0));
  const maxModelLen = fp16.maxModelLen; // the same in every precision: the memory is the same
  let served = 0;
  let sequenceTokens = 0;
  for (const r of trace) {
    const tokens = Math.max(1, r.inputTokens) + Math.max(1, r.outputTokens);
    if (tokens > maxModelLen) continue;
    served++;
    sequenceTokens += tokens;
  }
  const meanSequenceTokens = served === 0 ? 1 : sequenceTokens / served;
  const fp16Tokens = fp16.kvLayout.capacityTokens(meanSequenceTokens);

  const runs: PrecisionRun[] = [];
  let refused = 0;
  for (const kvPrecision of o.precisions) {
    const t1 = performance.now();
    const cluster = new VirtualCluster({
      seed: o.seed,
      keepResults: true,
      instances: Array.from({ length: o.instances }, (_, i) => instance(kvPrecision, i)),
    });
    const placement = createSimPlacement(o.policy, cluster.blockSize);
    refused = 0;
    for (const { spec, arrivalMs } of traceSpecs(trace, cluster.blockSize)) {
      // The engine would refuse it at submission (vLLM answers 400): count it, do not stop the run.
      if (spec.promptTokens + spec.outputTokens > maxModelLen) {
        refused++;
        continue;
      }
      cluster.submit(spec, arrivalMs, placement);
    }
    cluster.run();
    const layout = cluster.instances[0]!.config.kvLayout;
    const tokensAtMeanLength = layout.capacityTokens(meanSequenceTokens);
    runs.push({
      kvPrecision,
      capacity: {
        blocksTotal: cluster.instances[0]!.config.numBlocks,
        tokensAtMeanLength,
        tokensUpperBound: layout.capacityTokens(),
        gain: tokensAtMeanLength / fp16Tokens,
      },
      simulated: simulatedFigures(cluster),
      wallClockS: (performance.now() - t1) / 1000,
    });
  }

  return {
    trace: o.tracePath,
    preset: o.preset,
    instances: o.instances,
    policy: o.policy,
    anchorBlocks: o.anchorBlocks,
    rateScale: o.rateScale,
    seed: o.seed,
    ...(o.kvCapacityTokens === undefined ? {} : { kvCapacityTokens: o.kvCapacityTokens }),
    requests: trace.length,
    refused,
    meanSequenceTokens,
    runs,
    wallClock: { loadS, peakRssMiB: process.resourceUsage().maxRSS / 1024 },
  };
}

function simulatedFigures(cluster: VirtualCluster): PrecisionRun["simulated"] {
  const results = cluster.results;
  const summary = summarizeResults(results);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const r of results) {
    if (r.arrivalMs < start) start = r.arrivalMs;
    if (r.finishMs > end) end = r.finishMs;
  }
  const durationS = end > start ? (end - start) / 1000 : 0;
  return {
    completed: results.length,
    durationS,
    ttftMs: summary.ttftMs,
    tpotMs: summary.tpotMs,
    e2eMs: summary.e2eMs,
    prefixHitRate: summary.prefixHitRate,
    preemptions: summary.preemptions,
    requestsPerSecond: durationS > 0 ? results.length / durationS : 0,
    outputTokensPerSecond: summary.outputTokensPerSecond,
  };
}
