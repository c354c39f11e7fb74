import { describe, expect, it } from "vitest";
import type { BenchDeployment } from "./bench-deployments.js";
import type { BenchRequest } from "./bench-workload.js";
import { simulateDeployment } from "./simulate-deployment.js";

const prices = { small: { inputPerMTok: 1, outputPerMTok: 1 }, large: { inputPerMTok: 10, outputPerMTok: 10 } };
const requests: BenchRequest[] = [0, 1].map((row) => ({
  id: `q${row}`,
  arrivalMs: row * 5,
  row,
  promptTokens: 40,
  blockHashes: [],
  smallOutputTokens: 20,
  largeOutputTokens: 30,
}));
const deployment = (smallInstances: number, largeInstances: number): BenchDeployment => ({
  name: "t",
  description: "test",
  small: { preset: "llama-3.1-8b/h100", instances: smallInstances },
  large: { preset: "llama-3.1-70b/h100x4", instances: largeInstances },
  routing: { kind: "static-cascade" },
});

describe("simulateDeployment", () => {
  it("serves an escalated request from small then large: e2e spans both, TTFT from the large answer", () => {
    const paths = [
      { tiers: [0], correct: true },
      { tiers: [0, 1], correct: false },
    ];
    const [accepted, escalated] = simulateDeployment(deployment(1, 1), requests, paths, { policy: "least-loaded", seed: 1, prices });
    expect(accepted!.escalated).toBe(false);
    expect(accepted!.outputTokens).toBe(20);
    expect(accepted!.costUsd).toBeCloseTo((40 + 20) / 1e6);
    expect(escalated!.escalated).toBe(true);
    expect(escalated!.outputTokens).toBe(30);
    expect(escalated!.correct).toBe(false);
    expect(escalated!.costUsd).toBeCloseTo((60 + 10 * 70) / 1e6);
    // The large leg starts only after the small answer: longer than the accepted one.
    expect(escalated!.e2eMs).toBeGreaterThan(accepted!.e2eMs);
    expect(escalated!.ttftMs).toBeGreaterThan(accepted!.e2eMs - 5);
  });

  it("refuses to route to a tier the deployment does not have", () => {
    expect(() =>
      simulateDeployment(deployment(2, 0), requests, [{ tiers: [0], correct: true }, { tiers: [1], correct: true }], { policy: "least-loaded", seed: 1, prices }),
    ).toThrow(/does not deploy/);
  });
});
