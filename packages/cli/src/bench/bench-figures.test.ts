import { describe, expect, it } from "vitest";
import { type ServedRequest, deploymentFigures, percentiles } from "./bench-figures.js";

const req = (over: Partial<ServedRequest>): ServedRequest => ({
  arrivalMs: 0,
  finishMs: 1000,
  ttftMs: 100,
  tpotMs: 10,
  e2eMs: 1000,
  outputTokens: 10,
  escalated: false,
  correct: true,
  costUsd: 0.001,
  ...over,
});

describe("percentiles", () => {
  it("takes nearest ranks", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(xs)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7 });
  });
});

describe("deploymentFigures", () => {
  it("counts the SLO on e2e, throughput over first arrival → last finish, accuracy and escalations", () => {
    const f = deploymentFigures(
      [
        req({}),
        req({ arrivalMs: 1000, finishMs: 4000, e2eMs: 3000, escalated: true, correct: false, costUsd: 0.003, outputTokens: 30 }),
      ],
      2000,
    );
    expect(f.sloAttainment).toBe(0.5);
    expect(f.requestsPerSecond).toBeCloseTo(2 / 4);
    expect(f.outputTokensPerSecond).toBeCloseTo(40 / 4);
    expect(f.goodputRequestsPerSecond).toBeCloseTo(1 / 4);
    expect(f.accuracy).toBe(0.5);
    expect(f.escalationRate).toBe(0.5);
    expect(f.costUsdPerRequest).toBeCloseTo(0.002);
    expect(f.e2eMs.p99).toBe(3000);
  });

  it("refuses an empty run", () => {
    expect(() => deploymentFigures([], 1000)).toThrow(RangeError);
  });
});
