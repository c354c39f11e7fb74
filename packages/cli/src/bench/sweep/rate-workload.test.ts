import { describe, expect, it } from "vitest";
import { arrivalsForDuration } from "./rate-workload.js";

const trace = [0, 1000, 2000, 3000].map((arrivalMs) => ({ arrivalMs: arrivalMs + 500, inputTokens: 10, outputTokens: 5 }));

describe("arrivalsForDuration", () => {
  it("scales the arrivals and keeps those within the duration", () => {
    expect(arrivalsForDuration(trace, 2, 1200).map((r) => r.arrivalMs)).toEqual([0, 500, 1000]);
  });

  it("replays the trace from its start when it ends before the duration, one mean gap later", () => {
    // Span 3 s + mean gap 1 s = a 4 s lap.
    expect(arrivalsForDuration(trace, 1, 9000).map((r) => r.arrivalMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
  });

  it("a denser rate gives proportionally more requests in the same time", () => {
    expect(arrivalsForDuration(trace, 10, 8000).length).toBe(10 * arrivalsForDuration(trace, 1, 8000).length);
  });
});
