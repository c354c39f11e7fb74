import type { ScoredCascade } from "@weir/planner";
import { describe, expect, it } from "vitest";
import type { BenchRequest } from "../bench-workload.js";
import { fluidRate, perfectRouterLargeShare, tierShares } from "./capacity-bound.js";

const req = (row: number): BenchRequest => ({ id: `q${row}`, arrivalMs: row, row, promptTokens: 10, blockHashes: [], smallOutputTokens: 5, largeOutputTokens: 5 });

function cascadeOf(labels: [number, number][]): ScoredCascade {
  return {
    tiers: ["small", "large"],
    rows: labels.length,
    clusters: new Int32Array(labels.length),
    probs: new Float64Array(labels.length * 2).fill(1),
    correct: Uint8Array.from(labels.flat()),
    starts: [],
    thresholds: [],
    beta: 0,
  };
}

describe("capacity bound", () => {
  it("counts the requests each tier generates for", () => {
    const paths = [{ tiers: [0], correct: true }, { tiers: [0, 1], correct: true }, { tiers: [1], correct: false }, { tiers: [0], correct: true }];
    expect(tierShares(paths, [0, 1, 2, 3].map(req))).toEqual({ small: 0.75, large: 0.5 });
  });

  it("the fluid rate is capped by 1 / large share however cheap small is", () => {
    expect(fluidRate({ small: 1, large: 1 }, { small: 10, large: 10 })).toBeCloseTo(5);
    expect(fluidRate({ small: 1, large: 0.25 }, { small: 1e12, large: 10 })).toBeCloseTo(40);
    expect(fluidRate({ small: 1, large: 0.25 }, { small: 80, large: 10 })).toBeCloseTo(1 / (1 / 80 + 0.25 / 10));
  });

  it("the perfect router escalates only the answers large fixes, and only as many as the quality needs", () => {
    // 10 rows: small right on 6, large right on 8; 3 rows small wrong & large right.
    const labels: [number, number][] = [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 0], [0, 1], [0, 1], [0, 1], [0, 0]];
    const c = cascadeOf(labels);
    const rs = labels.map((_, i) => req(i));
    // 0.97 × 8 = 7.76 right needed: 6 from small + 2 escalated.
    expect(perfectRouterLargeShare(c, rs, 0.97)).toBeCloseTo(0.2);
    expect(perfectRouterLargeShare(c, rs, 0.7)).toBe(0);
    // 1.2 × 8 = 9.6 > 6 + 3: unreachable.
    expect(perfectRouterLargeShare(c, rs, 1.2)).toBeUndefined();
  });
});
