import { describe, expect, it } from "vitest";
import { baselineDeployments } from "./bench-deployments.js";
import { withPlannedSingleTiers } from "./run-bench.js";

describe("single-tier baselines as the planner deploys them", () => {
  const base = baselineDeployments(8, "h100", { small: "llama-3.1-8b", large: "llama-3.1-70b" });

  it("replaces small only's and large only's fill with the planner's TP × replicas, and leaves the static cascade", () => {
    const out = withPlannedSingleTiers(base, [undefined, { preset: "llama-3.1-70b/h100x4", instances: 2 }]);
    const byName = Object.fromEntries(out.map((d) => [d.name, d]));
    expect(byName["large-only"]!.large).toEqual({ preset: "llama-3.1-70b/h100x4", instances: 2 });
    expect(byName["large-only"]!.description).toMatch(/2 × TP4 \(the planner's deployment of it\)/);
    expect(byName["small-only"]).toEqual(base.find((d) => d.name === "small-only"));
    expect(byName["static-cascade"]).toEqual(base.find((d) => d.name === "static-cascade"));
  });
});
