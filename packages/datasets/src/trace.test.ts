import { describe, expect, it } from "vitest";
import { datasetPath } from "./dataset-path.js";
import { loadTrace, parseTrace } from "./load-trace.js";
import { scaleTrace } from "./scale-trace.js";
import { MOONCAKE_BLOCK_TOKENS } from "./trace-request.js";

const MOONCAKE = [
  '{"timestamp": 1500, "input_length": 700, "output_length": 5, "hash_ids": [0, 2]}',
  '{"timestamp": 1000, "input_length": 600, "output_length": 10, "hash_ids": [0, 1]}',
  "",
  '{"timestamp": 1500, "input_length": 20, "output_length": 1, "hash_ids": []}',
].join("\n");

const AZURE = [
  "TIMESTAMP,ContextTokens,GeneratedTokens",
  "2023-11-16 18:15:50.9951690,396,109",
  "2023-11-16 18:15:46.6805900,374,44",
  "2023-11-16 18:16:00,10,1",
].join("\n");

describe("parseTrace", () => {
  it("reads Mooncake JSON lines, sorted by arrival, from the first arrival, ties in file order", () => {
    expect(parseTrace(MOONCAKE)).toEqual([
      { arrivalMs: 0, inputTokens: 600, outputTokens: 10, hashIds: [0, 1] },
      { arrivalMs: 500, inputTokens: 700, outputTokens: 5, hashIds: [0, 2] },
      { arrivalMs: 500, inputTokens: 20, outputTokens: 1, hashIds: [] },
    ]);
  });

  it("reads Azure CSV, arrivals in ms from the earliest timestamp, to the 100 ns", () => {
    const trace = parseTrace(AZURE);
    expect(trace.map((r) => [r.inputTokens, r.outputTokens])).toEqual([
      [374, 44],
      [396, 109],
      [10, 1],
    ]);
    expect(trace[0]?.arrivalMs).toBe(0);
    expect(trace[1]?.arrivalMs).toBeCloseTo(4314.579, 6);
    expect(trace[2]?.arrivalMs).toBeCloseTo(13_319.41, 6);
    expect(trace[0]).not.toHaveProperty("hashIds");
  });

  it("says which format it expected, and where the input is wrong", () => {
    expect(() => parseTrace("a,b,c\n1,2,3\n", "x.csv")).toThrow(/x.csv is neither a Mooncake trace .* nor an Azure trace/);
    expect(() => parseTrace('{"timestamp": 0, "input_length": 1, "output_length": 1}\n{"timestamp": 1', "m.jsonl")).toThrow(
      /m.jsonl line 2 is not JSON/,
    );
    expect(() => parseTrace('{"timestamp": 0, "input_length": -1, "output_length": 1}')).toThrow(
      /line 1: "input_length" must be an integer ≥ 0, got -1/,
    );
    expect(() => parseTrace("TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,1,2\n")).toThrow(
      /row 1: TIMESTAMP must look like/,
    );
    expect(() => parseTrace("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,x,2\n")).toThrow(
      /row 1: ContextTokens must be an integer/,
    );
  });
});

describe("loadTrace (vendored traces)", () => {
  it("reads the Azure 2023 conversation trace: 19,366 requests in about an hour", () => {
    const trace = loadTrace(datasetPath("traces/azure_llm_2023_conv.csv"));
    expect(trace).toHaveLength(19_366);
    expect(trace[0]).toEqual({ arrivalMs: 0, inputTokens: 374, outputTokens: 44 });
    for (let i = 1; i < trace.length; i++) {
      expect((trace[i]?.arrivalMs ?? 0) >= (trace[i - 1]?.arrivalMs ?? 0)).toBe(true);
    }
    const last = trace[trace.length - 1]?.arrivalMs ?? 0;
    expect(last).toBeGreaterThan(55 * 60_000);
    expect(last).toBeLessThan(60 * 60_000);
  });

  it("reads the Mooncake conversation trace: 12,031 requests, one hash id per 512-token block", () => {
    const trace = loadTrace(datasetPath("traces/mooncake_conversation.jsonl"));
    expect(trace).toHaveLength(12_031);
    const meanInput = trace.reduce((s, r) => s + r.inputTokens, 0) / trace.length;
    expect(Math.round(meanInput)).toBe(12_035);
    for (const r of trace) expect(r.hashIds).toHaveLength(Math.ceil(r.inputTokens / MOONCAKE_BLOCK_TOKENS));
  });
});

describe("scaleTrace", () => {
  const trace = parseTrace(MOONCAKE);

  it("speeds arrivals up or slows them down by a rate factor, lengths unchanged", () => {
    expect(scaleTrace(trace, { rate: 2 }).map((r) => r.arrivalMs)).toEqual([0, 250, 250]);
    expect(scaleTrace(trace, { rate: 0.5 }).map((r) => r.arrivalMs)).toEqual([0, 1000, 1000]);
    expect(scaleTrace(trace, { rate: 2 })[1]).toEqual({ arrivalMs: 250, inputTokens: 700, outputTokens: 5, hashIds: [0, 2] });
  });

  it("fits arrivals into a duration, and copies without touching the input", () => {
    expect(scaleTrace(trace, { durationMs: 100 }).map((r) => r.arrivalMs)).toEqual([0, 100, 100]);
    expect(scaleTrace(trace).map((r) => r.arrivalMs)).toEqual([0, 500, 500]);
    expect(trace.map((r) => r.arrivalMs)).toEqual([0, 500, 500]);
    expect(scaleTrace([{ arrivalMs: 0, inputTokens: 1, outputTokens: 1 }], { durationMs: 10 })[0]?.arrivalMs).toBe(0);
  });

  it("rejects rates and durations that are not > 0, and both at once", () => {
    expect(() => scaleTrace(trace, { rate: 0 })).toThrow(RangeError);
    expect(() => scaleTrace(trace, { durationMs: -1 })).toThrow(/durationMs must be a number > 0/);
    expect(() => scaleTrace(trace, { rate: 2, durationMs: 5 })).toThrow(/not both/);
  });
});
