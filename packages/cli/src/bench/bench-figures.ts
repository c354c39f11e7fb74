// The figures of one deployment's run, from what each request's client saw.
// All times are simulated (virtual time), never measured.

/** One request as its client saw it, in virtual time. */
export interface ServedRequest {
  arrivalMs: number;
  /** When the delivered answer's last token was produced. */
  finishMs: number;
  /** Arrival to the delivered answer's first token (an escalated request's comes from the large tier). */
  ttftMs: number;
  /** Time per output token of the delivered answer's generation. */
  tpotMs: number;
  /** Arrival to the delivered answer's end: small generation, then large from the escalation, when escalated. */
  e2eMs: number;
  /** Tokens of the delivered answer. */
  outputTokens: number;
  /** The request started on a cheaper tier and was escalated at least once. */
  escalated: boolean;
  /** The delivered answer's recorded correctness label. */
  correct: boolean;
  /** Price of every generation the request caused, USD. */
  costUsd: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface DeploymentFigures {
  requests: number;
  sloMs: number;
  /** Share of requests with e2e ≤ sloMs. */
  sloAttainment: number;
  /** Completed requests per second over first arrival → last finish. */
  requestsPerSecond: number;
  /** Delivered output tokens per second over the same span. */
  outputTokensPerSecond: number;
  /** Requests per second that met the SLO (goodput). */
  goodputRequestsPerSecond: number;
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  e2eMs: Percentiles;
  accuracy: number;
  escalationRate: number;
  costUsdPerRequest: number;
}

export function deploymentFigures(served: readonly ServedRequest[], sloMs: number): DeploymentFigures {
  const n = served.length;
  if (n === 0) throw new RangeError("no requests were served");
  // A loop, not Math.min(...spread): a long run has more requests than the call stack has room for arguments.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of served) {
    if (r.arrivalMs < first) first = r.arrivalMs;
    if (r.finishMs > last) last = r.finishMs;
  }
  const spanS = Math.max(last - first, 1e-9) / 1000;
  const met = served.filter((r) => r.e2eMs <= sloMs).length;
  const sum = (f: (r: ServedRequest) => number): number => served.reduce((a, r) => a + f(r), 0);
  return {
    requests: n,
    sloMs,
    sloAttainment: met / n,
    requestsPerSecond: n / spanS,
    outputTokensPerSecond: sum((r) => r.outputTokens) / spanS,
    goodputRequestsPerSecond: met / spanS,
    ttftMs: percentiles(served.map((r) => r.ttftMs)),
    tpotMs: percentiles(served.map((r) => r.tpotMs)),
    e2eMs: percentiles(served.map((r) => r.e2eMs)),
    accuracy: sum((r) => (r.correct ? 1 : 0)) / n,
    escalationRate: sum((r) => (r.escalated ? 1 : 0)) / n,
    costUsdPerRequest: sum((r) => r.costUsd) / n,
  };
}

/** Nearest-rank percentiles. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
