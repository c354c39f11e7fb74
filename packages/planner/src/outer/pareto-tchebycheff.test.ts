import { describe, expect, it } from "vitest";
import { paretoFront } from "./pareto-front.js";
import { tchebycheffChoices, weightSweep } from "./tchebycheff.js";

// (latency ms, quality): a non-convex front A–B–C, D dominated by B, E a repeat of C.
const points = [
  { latencyMs: 100, quality: 0.7 }, // A
  { latencyMs: 400, quality: 0.8 }, // B: under the A–C chord, so no weighted sum picks it
  { latencyMs: 500, quality: 1 }, // C
  { latencyMs: 450, quality: 0.75 }, // D
  { latencyMs: 500, quality: 1 }, // E
];

describe("paretoFront", () => {
  it("keeps the non-dominated points by latency, dropping dominated ones and repeats", () => {
    expect(paretoFront(points)).toEqual([0, 1, 2]);
  });

  it("keeps a faster point with equal quality only", () => {
    expect(paretoFront([{ latencyMs: 2, quality: 1 }, { latencyMs: 1, quality: 1 }])).toEqual([1]);
  });
});

describe("tchebycheffChoices", () => {
  it("picks the fastest at weight 1, the best at weight 0, and the non-convex middle point at some weight", () => {
    const picks = tchebycheffChoices(points, weightSweep(21));
    expect(picks[20]).toBe(0);
    expect(picks[0]).toBe(2);
    expect(picks).toContain(1);
    expect(picks).not.toContain(3);
    expect(picks).not.toContain(4);
  });
});
