import { describe, expect, it } from "vitest";
import type { DeploymentFigures } from "../bench-figures.js";
import { type SweptDeployment, sweepBounds, sweepTarget } from "./run-rate-sweep.js";

function swept(name: string, rps: number, accuracy: number, shares?: { small: number; large: number }): SweptDeployment {
  return {
    name,
    description: name,
    instances: [],
    gpus: 8,
    maxScale: rps / 5,
    capped: false,
    maxRequestsPerSecond: rps,
    figures: { accuracy } as DeploymentFigures,
    shares,
    probes: [],
  };
}

describe("sweep target and bounds", () => {
  it("compares sustainable throughput and accuracy with the large-only baseline", () => {
    const t = sweepTarget(swept("weir", 330, 0.84), swept("large-only TP4", 100, 0.86));
    expect(t.throughputRatio).toBeCloseTo(3.3);
    expect(t.accuracyKept).toBeCloseTo(0.84 / 0.86);
    expect(t.met).toBe(true);
    expect(sweepTarget(swept("weir", 330, 0.8), swept("large-only TP4", 100, 0.86)).met).toBe(false);
    expect(sweepTarget(swept("weir", 250, 0.86), swept("large-only TP4", 100, 0.86)).met).toBe(false);
  });

  it("bounds Weir's and a perfect router's rate by their large shares on the measured capacities", () => {
    const b = sweepBounds(swept("weir", 150, 0.8, { small: 0.7, large: 0.5 }), swept("small-only", 1000, 0.6), swept("large-only", 100, 0.86), 0.2);
    // 1 / (0.7 / 1000 + 0.5 / 100) / 100
    expect(b.weirFluidRatio).toBeCloseTo(1 / (0.7 / 10 + 0.5));
    expect(b.perfectRouterFluidRatio).toBeCloseTo(1 / (0.8 / 10 + 0.2));
    expect(b.reading).toMatch(/perfect router .* 20\.0% to large/);
  });
});
