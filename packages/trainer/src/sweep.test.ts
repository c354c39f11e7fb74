import { describe, expect, it } from "vitest";
import { cascadeOutcome } from "./cascade-sim.js";
import type { PreparedData } from "./prepared-data.js";
import { choosePoint, paretoFrontier, thresholdGrid, type SweepPoint } from "./sweep.js";
import { parseTierArg } from "./tier-map.js";

const pt = (accuracy: number, costRelative: number): SweepPoint => ({ thresholds: [0.5, 0], thresholdsWithoutText: [0.5, 0], beta: 0, accuracy, costRelative, reached: [1, costRelative] });

describe("operating point and frontier", () => {
  it("picks the cheapest point meeting the target, else the most accurate", () => {
    const points = [pt(0.8, 0.3), pt(0.85, 0.5), pt(0.86, 0.9), pt(0.86, 0.7)];
    expect(choosePoint(points, 0.88, 0.95)).toEqual({ point: points[1], met: true });
    expect(choosePoint(points, 1, 0.95)).toEqual({ point: points[3], met: false });
  });

  it("keeps only points no other beats on both accuracy and cost", () => {
    const f = paretoFrontier([pt(0.8, 0.3), pt(0.79, 0.4), pt(0.85, 0.5), pt(0.84, 0.6)]);
    expect(f.map((p) => p.accuracy)).toEqual([0.8, 0.85]);
  });

  it("has a fine threshold grid for one judged tier and a coarse product for more", () => {
    expect(thresholdGrid(2).length).toBe(51);
    expect(thresholdGrid(3).length).toBe(121);
    expect(thresholdGrid(3)[0]).toEqual([0, 0, 0]);
  });
});

describe("cascadeOutcome (replay from labels)", () => {
  // One row, three tiers: small wrong, medium right, large right.
  const d = {
    n: 1,
    tiers: [parseTierArg("s=a:1:1"), parseTierArg("m=b:2:2"), parseTierArg("l=c:3:3")],
    correct: Uint8Array.from([0, 1, 1]),
    costUsd: Float64Array.from([1, 2, 3]),
  } as unknown as PreparedData;
  it("escalates while the QE doubts, paying every visited tier", () => {
    const probs = Float64Array.from([0.2, 0.9, 1]);
    expect(cascadeOutcome(d, 0, 0, probs, [0.5, 0.5, 0])).toEqual({ correct: 1, cost: 3, answeredBy: 1 });
    expect(cascadeOutcome(d, 0, 0, probs, [0.1, 0.5, 0])).toEqual({ correct: 0, cost: 1, answeredBy: 0 });
    expect(cascadeOutcome(d, 0, 0, probs, [0.5, 0.95, 0])).toEqual({ correct: 1, cost: 6, answeredBy: 2 });
    expect(cascadeOutcome(d, 0, 2, probs, [1, 1, 0])).toEqual({ correct: 1, cost: 3, answeredBy: 2 });
  });

  it("parses --tier name=model:in:out, models with colons included", () => {
    expect(parseTierArg("small=org/model:v1:0.6:1.2")).toMatchObject({ name: "small", model: "org/model:v1", inputPerMTok: 0.6, outputPerMTok: 1.2 });
    expect(() => parseTierArg("small=model")).toThrow(/is not name=model:inputPerMTok:outputPerMTok/);
  });
});
