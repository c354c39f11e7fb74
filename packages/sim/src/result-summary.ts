import type { RequestResult } from "./virtual-cluster.js";

export interface Distribution {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The usual serving-benchmark figures over a set of results (ms, tokens). */
export interface ResultSummary {
  requests: number;
  ttftMs: Distribution;
  tpotMs: Distribution;
  e2eMs: Distribution;
  /** Cached prompt tokens / prompt tokens. */
  prefixHitRate: number;
  preemptions: number;
  /** Output tokens per second of virtual time, first arrival to last finish. */
  outputTokensPerSecond: number;
}

export function summarizeResults(results: readonly RequestResult[]): ResultSummary {
  let prompt = 0;
  let cached = 0;
  let output = 0;
  let preemptions = 0;
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const r of results) {
    prompt += r.promptTokens;
    cached += r.cachedPromptTokens;
    output += r.outputTokens;
    preemptions += r.preemptions;
    if (r.arrivalMs < start) start = r.arrivalMs;
    if (r.finishMs > end) end = r.finishMs;
  }
  return {
    requests: results.length,
    ttftMs: distribution(results.map((r) => r.ttftMs)),
    tpotMs: distribution(results.filter((r) => r.outputTokens > 1).map((r) => r.tpotMs)),
    e2eMs: distribution(results.map((r) => r.e2eMs)),
    prefixHitRate: prompt === 0 ? 0 : cached / prompt,
    preemptions,
    outputTokensPerSecond: end > start ? (output * 1000) / (end - start) : 0,
  };
}

function distribution(values: number[]): Distribution {
  if (values.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { mean: sum / sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}
