import type { ScoredCascade } from "@weir/planner";
import { describe, expect, it } from "vitest";
import { rowPaths } from "./bench-paths.js";

// Three rows, two tiers, one cluster with threshold 0.5 on the small tier.
const cascade: ScoredCascade = {
  tiers: ["small", "large"],
  rows: 3,
  clusters: Int32Array.from([0, 0, 0]),
  probs: Float64Array.from([0.9, 1, 0.2, 1, 0.6, 1]),
  // row 0: small right; row 1: small wrong, large right; row 2: both wrong.
  correct: Uint8Array.from([1, 1, 0, 1, 0, 0]),
  starts: [[{ tier: "small", accuracy: 0.8, cost: 0.1 }, { tier: "large", accuracy: 0.9, cost: 1 }]],
  thresholds: [[0.5, 0]],
  beta: 0,
};

describe("rowPaths", () => {
  it("serves every row on the one tier and grades that tier's answer", () => {
    expect(rowPaths(cascade, { kind: "only", tier: 0 }).map((p) => p.correct)).toEqual([true, false, false]);
    expect(rowPaths(cascade, { kind: "only", tier: 1 }).map((p) => p.tiers)).toEqual([[1], [1], [1]]);
  });

  it("starts the static cascade small and escalates below the threshold, grading the last answer", () => {
    const paths = rowPaths(cascade, { kind: "static-cascade" });
    expect(paths.map((p) => p.tiers)).toEqual([[0], [0, 1], [0]]);
    expect(paths.map((p) => p.correct)).toEqual([true, true, false]);
  });

  it("follows a planner knob: a high β starts small, a +0.5 shift escalates every row", () => {
    const paths = rowPaths(cascade, { kind: "knob", knob: { beta: 10, thresholdShift: 0.5 } });
    expect(paths.map((p) => p.tiers)).toEqual([[0, 1], [0, 1], [0, 1]]);
    expect(rowPaths(cascade, { kind: "knob", knob: { beta: 0, thresholdShift: 0 } }).map((p) => p.tiers)).toEqual([[1], [1], [1]]);
  });

  it("refuses a tier that does not exist", () => {
    expect(() => rowPaths(cascade, { kind: "only", tier: 2 })).toThrow(RangeError);
  });
});
