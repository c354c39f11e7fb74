// The benchmark's requests: the trace gives arrivals only; the labelled data
// set gives everything else. Trace request i is paired with data row i mod N
// (as the planner pairs them): its prompt (flattened chat, Llama 3 BPE) and
// both tiers' recorded answers, whose token counts are the output lengths
// each tier generates. GSM8K records every answer, so the trace's own
// lengths are not used.

import { type LabelledDataset, type TraceRequest, loadTrace, scaleTrace } from "@weir/datasets";
import { type WorkloadRow, buildWorkload } from "../warmup-bench/gsm8k-workload.js";

export interface BenchRequest {
  id: string;
  arrivalMs: number;
  /** Index of the paired data row. */
  row: number;
  promptTokens: number;
  blockHashes: readonly bigint[];
  smallOutputTokens: number;
  largeOutputTokens: number;
}

export function loadArrivals(tracePath: string, requests: number, rateScale: number): TraceRequest[] {
  const trace = scaleTrace(loadTrace(tracePath).slice(0, requests), { rate: rateScale });
  if (trace.length === 0) throw new Error(`${tracePath} has no requests`);
  return trace;
}

export function dataRows(ds: LabelledDataset, tiers: { smallModel: string; largeModel: string }): WorkloadRow[] {
  const rows = buildWorkload(ds, tiers);
  if (rows.length === 0) throw new Error(`dataset ${ds.name} has no rows`);
  return rows;
}

export function pairRequests(arrivals: readonly TraceRequest[], rows: readonly WorkloadRow[]): BenchRequest[] {
  if (rows.length === 0) throw new RangeError("no data rows to pair the trace with");
  return arrivals.map((a, i) => {
    const row = i % rows.length;
    const r = rows[row]!;
    return {
      id: `q${i}`,
      arrivalMs: a.arrivalMs,
      row,
      promptTokens: r.promptTokens,
      blockHashes: r.blockHashes,
      smallOutputTokens: r.smallOutputTokens,
      largeOutputTokens: r.largeOutputTokens,
    };
  });
}

/**
 * The trace the planner plans on: the same arrivals with the served lengths.
 * The planner gives one output length per request to every tier it visits,
 * so it gets the longer of the two recorded answers (conservative for both).
 */
export function plannerTrace(requests: readonly BenchRequest[]): TraceRequest[] {
  return requests.map((r) => ({ arrivalMs: r.arrivalMs, inputTokens: r.promptTokens, outputTokens: Math.max(r.smallOutputTokens, r.largeOutputTokens) }));
}
