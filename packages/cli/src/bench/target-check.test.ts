import { describe, expect, it } from "vitest";
import type { DeploymentFigures } from "./bench-figures.js";
import { type DeploymentResult, targetCheck } from "./run-bench.js";

const figures = (rps: number, accuracy: number, p95: number): DeploymentFigures => ({
  requests: 100,
  sloMs: 1000,
  sloAttainment: 1,
  requestsPerSecond: rps,
  outputTokensPerSecond: 0,
  goodputRequestsPerSecond: rps,
  ttftMs: { p50: 0, p95: 0, p99: 0 },
  tpotMs: { p50: 0, p95: 0, p99: 0 },
  e2eMs: { p50: 0, p95: p95, p99: p95 },
  accuracy,
  escalationRate: 0,
  costUsdPerRequest: 0,
});
const run = (name: string, f: DeploymentFigures): DeploymentResult => ({ name, description: "", instances: [], gpus: 8, figures: f });

describe("targetCheck", () => {
  it("meets the target only with ≥ 3× throughput, ≥ 97% accuracy and p95 within the SLO", () => {
    expect(targetCheck([run("large-only", figures(10, 0.9, 500)), run("weir", figures(30, 0.88, 900))]).met).toBe(true);
    expect(targetCheck([run("large-only", figures(10, 0.9, 500)), run("weir", figures(29, 0.88, 900))]).met).toBe(false);
    expect(targetCheck([run("large-only", figures(10, 0.9, 500)), run("weir", figures(30, 0.85, 900))]).met).toBe(false);
    expect(targetCheck([run("large-only", figures(10, 0.9, 500)), run("weir", figures(30, 0.9, 1500))]).met).toBe(false);
  });
});
