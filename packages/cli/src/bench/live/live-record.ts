// A live request as the client saw it, and its conversion to the virtual
// mode's ServedRequest so both modes share the figure code. Live times are
// wall clock; the sim engines ran `speedup` times faster than the modelled
// GPUs, so model time = wall × speedup. The stack's own per-hop overhead
// (NATS, gRPC, judge, scheduler) is scaled by the same factor.

import type { ServedRequest } from "../bench-figures.js";
import type { ChatOutcome } from "./sse-chat.js";
import { toModelMs } from "./send-schedule.js";

export interface LiveRecord {
  /** Index into the benchmark's requests, and its paired data row. */
  index: number;
  row: number;
  /** Wall ms after the run's start: when the schedule said to send it, and when it was sent. */
  plannedSendMs: number;
  sentMs: number;
  outcome: ChatOutcome;
  /** The delivered answer's recorded correctness (the label of the model column the answering tier replays); undefined on an error. */
  correct?: boolean;
  /** The delivered text is the answering tier's recorded answer for the row (the replay matched the prompt). */
  replayed?: boolean;
}

/** Per data row, per tier name: the recorded answer and its correctness label. */
export type RowLabels = readonly Record<string, { answer: string | undefined; correct: boolean }>[];

/** Grades a finished request against the labels of the tier that answered it. */
export function gradeRecord(r: Omit<LiveRecord, "correct" | "replayed">, labels: RowLabels): LiveRecord {
  const tier = r.outcome.tier;
  if (r.outcome.error !== undefined || tier === undefined) return { ...r };
  const label = labels[r.row]?.[tier];
  if (label === undefined) return { ...r, outcome: { ...r.outcome, error: `answered by tier "${tier}", which no data set column is mapped to` } };
  return { ...r, correct: label.correct, replayed: label.answer !== undefined && r.outcome.text === label.answer };
}

export function completed(r: LiveRecord): boolean {
  return r.outcome.error === undefined && r.outcome.tier !== undefined;
}

/**
 * A completed request in the figure code's terms, in model time (speedup)
 * or wall time (speedup 1). TTFT is the first content token the client got
 * (a buffered judged answer arrives only after the judge accepted it); TPOT
 * spreads first → last token over the delivered tokens; e2e is send → end of stream.
 */
export function toServed(r: LiveRecord, speedup: number): ServedRequest {
  const o = r.outcome;
  if (!completed(r)) throw new RangeError(`request ${r.index} did not complete (${o.error ?? "no answering tier"})`);
  const tokens = o.completionTokens ?? 0;
  const first = o.firstTokenMs ?? o.endMs;
  const last = o.lastTokenMs ?? first;
  const m = (wall: number): number => toModelMs(wall, speedup);
  return {
    arrivalMs: m(r.sentMs),
    finishMs: m(r.sentMs + o.endMs),
    ttftMs: m(first),
    tpotMs: tokens > 1 ? m(last - first) / (tokens - 1) : 0,
    e2eMs: m(o.endMs),
    outputTokens: tokens,
    escalated: o.escalated === true,
    correct: r.correct === true,
    costUsd: o.costUsd ?? 0,
  };
}
