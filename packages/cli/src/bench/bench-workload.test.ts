import { describe, expect, it } from "vitest";
import type { WorkloadRow } from "../warmup-bench/gsm8k-workload.js";
import { pairRequests, plannerTrace } from "./bench-workload.js";

const row = (id: string, small: number, large: number): WorkloadRow => ({
  id,
  messages: [{ role: "user", content: id }],
  smallAnswer: "",
  promptTokens: 5,
  blockHashes: [],
  smallOutputTokens: small,
  largeOutputTokens: large,
});

describe("pairRequests", () => {
  it("pairs trace request i with row i mod N and keeps the trace's arrivals", () => {
    const arrivals = [0, 10, 20].map((arrivalMs) => ({ arrivalMs, inputTokens: 999, outputTokens: 999 }));
    const reqs = pairRequests(arrivals, [row("a", 3, 7), row("b", 9, 4)]);
    expect(reqs.map((r) => r.row)).toEqual([0, 1, 0]);
    expect(reqs.map((r) => r.arrivalMs)).toEqual([0, 10, 20]);
    expect(reqs[1]!.smallOutputTokens).toBe(9);
    expect(plannerTrace(reqs).map((t) => [t.inputTokens, t.outputTokens])).toEqual([[5, 7], [5, 9], [5, 7]]);
  });
});
