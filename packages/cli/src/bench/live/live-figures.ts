// A live deployment's figures: the virtual mode's (same code, same columns)
// over the completed requests, with every request that was sent counted:
// an error misses the SLO and is not a correct answer, and errors are
// reported by kind rather than dropped.

import { type DeploymentFigures, deploymentFigures } from "../bench-figures.js";
import { type LiveRecord, completed, toServed } from "./live-record.js";

export interface LiveFigures {
  /** In model time (wall × speedup): comparable with --virtual. */
  model: DeploymentFigures;
  /** As measured, wall clock. */
  wall: DeploymentFigures;
  sent: number;
  completed: number;
  /** Failed requests by reason ("HTTP 429", "deadline", …). */
  errors: Record<string, number>;
  /** Completed requests answered by each tier. */
  answeredBy: Record<string, number>;
  /** Completed requests whose text was not the answering tier's recorded answer. */
  notReplayed: number;
  /** How late the client sent requests behind the schedule, wall ms (p99, max). */
  sendLagMs: { p99: number; max: number };
}

export function liveFigures(records: readonly LiveRecord[], sloMs: number, speedup: number): LiveFigures {
  const done = records.filter(completed);
  const errors: Record<string, number> = {};
  for (const r of records) {
    if (completed(r)) continue;
    const k = errorKind(r);
    errors[k] = (errors[k] ?? 0) + 1;
  }
  const answeredBy: Record<string, number> = {};
  for (const r of done) answeredBy[r.outcome.tier!] = (answeredBy[r.outcome.tier!] ?? 0) + 1;
  const lags = records.map((r) => r.sentMs - r.plannedSendMs).sort((a, b) => a - b);
  return {
    model: overAll(done.map((r) => toServed(r, speedup)), records.length, sloMs),
    wall: overAll(done.map((r) => toServed(r, 1)), records.length, sloMs / speedup),
    sent: records.length,
    completed: done.length,
    errors,
    answeredBy,
    notReplayed: done.filter((r) => r.replayed === false).length,
    sendLagMs: { p99: lags[Math.max(0, Math.ceil(0.99 * lags.length) - 1)] ?? 0, max: lags.at(-1) ?? 0 },
  };
}

/** The figure code over the completed requests, with SLO attainment and accuracy over every request sent. */
function overAll(served: Parameters<typeof deploymentFigures>[0], sent: number, sloMs: number): DeploymentFigures {
  if (served.length === 0) {
    const nan = { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };
    return {
      requests: sent, sloMs, sloAttainment: 0, requestsPerSecond: 0, outputTokensPerSecond: 0, goodputRequestsPerSecond: 0,
      ttftMs: nan, tpotMs: nan, e2eMs: nan, accuracy: 0, escalationRate: 0, costUsdPerRequest: 0,
    };
  }
  const f = deploymentFigures(served, sloMs);
  const met = served.filter((r) => r.e2eMs <= sloMs).length;
  const correct = served.filter((r) => r.correct).length;
  return { ...f, requests: sent, sloAttainment: met / sent, accuracy: correct / sent };
}

/** A short, countable reason: the HTTP status, the deadline, or the first words of the error. */
export function errorKind(r: LiveRecord): string {
  const o = r.outcome;
  if (o.status !== 0 && o.status !== 200) return `HTTP ${o.status}`;
  const e = o.error ?? "no answering tier";
  if (e.includes("client deadline")) return "deadline";
  if (e.startsWith("error in the stream")) return "stream error";
  if (e.startsWith("request failed")) return "connection";
  return e.slice(0, 60);
}
