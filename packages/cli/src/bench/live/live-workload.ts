// What the live replay sends and how it is graded: the benchmark's paired
// requests (trace arrivals × data rows, as in --virtual) with each row's chat
// messages, and per row the recorded answer and correctness label of the
// model column each tier replays.

import type { LabelledDataset } from "@weir/datasets";
import type { WorkloadRow } from "../../warmup-bench/gsm8k-workload.js";
import type { BenchRequest } from "../bench-workload.js";
import type { LiveTier } from "./live-config.js";
import type { RowLabels } from "./live-record.js";
import type { ReplayItem } from "./replay-open-loop.js";

export function replayItems(requests: readonly BenchRequest[], rows: readonly WorkloadRow[]): ReplayItem[] {
  return requests.map((r) => {
    const row = rows[r.row];
    if (row === undefined) throw new RangeError(`request ${r.id} is paired with row ${r.row}, which the data has not`);
    return { arrivalMs: r.arrivalMs, row: r.row, messages: row.messages };
  });
}

/** Row i of the labels is row i of the data set (dataRows keeps every row, in order). */
export function rowLabels(ds: LabelledDataset, tiers: readonly LiveTier[]): RowLabels {
  return ds.rows.map((row) => Object.fromEntries(tiers.map((t) => [t.name, { answer: row.response[t.model], correct: row.correct[t.model] === true }])));
}

/**
 * Warm-up requests: a fresh stack's first requests are slow (JIT, gRPC
 * channels, NATS subscriptions: ~5 s on a 2-core machine for the first
 * burst, against ~100 ms afterwards), which would be charged to whichever
 * deployment ran first. They use rows the measured requests do not (from
 * the end of the data set), so they leave no useful prefix in any KV cache.
 */
export function warmUpItems(count: number, rows: readonly WorkloadRow[], measured: readonly ReplayItem[]): ReplayItem[] {
  const used = new Set(measured.map((m) => m.row));
  const free = rows.map((_, i) => rows.length - 1 - i).filter((i) => !used.has(i));
  const pick = free.length > 0 ? free : rows.map((_, i) => i);
  return Array.from({ length: count }, (_, k) => {
    const row = pick[k % pick.length]!;
    return { arrivalMs: 0, row, messages: rows[row]!.messages };
  });
}
