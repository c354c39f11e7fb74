// The Azure LLM inference trace format (Azure/AzurePublicDataset, 2023):
// CSV with TIMESTAMP ("2023-11-16 18:15:46.6805900", 100 ns resolution, no
// time zone), ContextTokens and GeneratedTokens.

import { parse } from "csv-parse/sync";
import { type TraceRequest, fromFirstArrival } from "./trace-request.js";

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Parses an Azure trace CSV; arrivals are ms after the earliest TIMESTAMP. Throws an Error naming the row on bad input. */
export function parseAzureTrace(text: string, source = "Azure trace"): TraceRequest[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new Error(`${source} is not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  // Whole seconds and the fraction apart: epoch ms with 100 ns digits would not fit a double exactly.
  const parsed = records.map((rec, i) => {
    const where = `${source} row ${i + 1}`;
    const ts = rec["TIMESTAMP"];
    const m = ts === undefined ? null : TIMESTAMP.exec(ts);
    if (m === null) throw new Error(`${where}: TIMESTAMP must look like 2023-11-16 18:15:46.6805900, got ${JSON.stringify(ts)}`);
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    return {
      secondMs: Date.UTC(y, mo - 1, d, h, mi, s),
      fractionMs: Number((m[7] ?? "").padEnd(9, "0")) / 1e6,
      inputTokens: count(rec["ContextTokens"], `${where}: ContextTokens`),
      outputTokens: count(rec["GeneratedTokens"], `${where}: GeneratedTokens`),
    };
  });
  let first = parsed[0];
  for (const p of parsed) {
    if (first !== undefined && (p.secondMs < first.secondMs || (p.secondMs === first.secondMs && p.fractionMs < first.fractionMs))) {
      first = p;
    }
  }
  const requests: TraceRequest[] = parsed.map((p) => ({
    arrivalMs: first === undefined ? 0 : p.secondMs - first.secondMs + (p.fractionMs - first.fractionMs),
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
  }));
  return fromFirstArrival(requests);
}

function count(v: string | undefined, where: string): number {
  const n = v === undefined || v === "" ? Number.NaN : Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where} must be an integer ≥ 0, got ${JSON.stringify(v ?? "")}`);
  return n;
}
