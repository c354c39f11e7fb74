// The Mooncake (Kimi) trace format (kvcache-ai/Mooncake, FAST25-release/traces):
// JSON lines {"timestamp": ms, "input_length", "output_length", "hash_ids": [...]}.

import { type TraceRequest, fromFirstArrival } from "./trace-request.js";

/** Parses Mooncake JSON lines; blank lines are skipped. Throws an Error naming the line on bad input. */
export function parseMooncakeTrace(text: string, source = "Mooncake trace"): TraceRequest[] {
  const requests: TraceRequest[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    const where = `${source} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${where} is not JSON: ${(err as Error).message}`, { cause: err });
    }
    if (typeof value !== "object" || value === null) throw new Error(`${where} is not a JSON object`);
    const o = value as Record<string, unknown>;
    const request: TraceRequest = {
      arrivalMs: finite(o["timestamp"], `${where}: "timestamp"`),
      inputTokens: count(o["input_length"], `${where}: "input_length"`),
      outputTokens: count(o["output_length"], `${where}: "output_length"`),
    };
    const hashIds = o["hash_ids"];
    if (hashIds !== undefined) {
      if (!Array.isArray(hashIds)) throw new Error(`${where}: "hash_ids" must be an array of integers`);
      request.hashIds = hashIds.map((id, k) => count(id, `${where}: "hash_ids"[${k}]`));
    }
    requests.push(request);
  }
  return fromFirstArrival(requests);
}

function finite(v: unknown, where: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function count(v: unknown, where: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new Error(`${where} must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  }
  return v;
}
