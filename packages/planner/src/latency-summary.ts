// Figures of one simulated tier deployment: latency percentiles, SLO
// attainment, throughput. All in simulated (virtual) time.

import type { ReplicaRun } from "./simulate-replicas.js";

export interface Percentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** A request meets the SLO when every bound given holds (ms). */
export interface LatencySlo {
  ttftMs?: number;
  tpotMs?: number;
  e2eMs?: number;
}

export type LatencyMeasure = "ttft" | "tpot" | "e2e";
export type LatencyStatistic = "mean" | "p50" | "p95" | "p99" | "max";

/** Which latency figure the planner minimises, e.g. p95 of end-to-end latency. */
export interface LatencyMetric {
  measure: LatencyMeasure;
  statistic: LatencyStatistic;
}

export const DEFAULT_LATENCY_METRIC: LatencyMetric = { measure: "e2e", statistic: "p95" };

export interface TierLatency {
  requests: number;
  completed: number;
  refused: number;
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  e2eMs: Percentiles;
  /** Share of all requests (refused ones count as misses) that met the SLO; undefined without an SLO. */
  sloAttainment: number | undefined;
  requestsPerSecond: number;
  outputTokensPerSecond: number;
}

export function summarizeRun(run: ReplicaRun, slo?: LatencySlo): TierLatency {
  const spanS = run.spanMs / 1000;
  return {
    requests: run.requests,
    completed: run.e2eMs.length,
    refused: run.refused,
    ttftMs: percentiles(run.ttftMs),
    tpotMs: percentiles(run.tpotMs),
    e2eMs: percentiles(run.e2eMs),
    sloAttainment: slo === undefined ? undefined : sloAttainment(run, slo),
    requestsPerSecond: spanS > 0 ? run.e2eMs.length / spanS : 0,
    outputTokensPerSecond: spanS > 0 ? run.outputTokens / spanS : 0,
  };
}

/** The figure a LatencyMetric names. */
export function latencyOf(latency: TierLatency, metric: LatencyMetric): number {
  const p = metric.measure === "ttft" ? latency.ttftMs : metric.measure === "tpot" ? latency.tpotMs : latency.e2eMs;
  return p[metric.statistic];
}

function sloAttainment(run: ReplicaRun, slo: LatencySlo): number {
  if (run.requests === 0) return 1;
  let met = 0;
  for (let i = 0; i < run.e2eMs.length; i++) {
    if (slo.ttftMs !== undefined && run.ttftMs[i]! > slo.ttftMs) continue;
    if (slo.tpotMs !== undefined && run.tpotMs[i]! > slo.tpotMs) continue;
    if (slo.e2eMs !== undefined && run.e2eMs[i]! > slo.e2eMs) continue;
    met++;
  }
  return met / run.requests;
}

/** Nearest-rank percentiles (as @weir/sim's summarizeResults), plus p95. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { mean: sum / sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! };
}
