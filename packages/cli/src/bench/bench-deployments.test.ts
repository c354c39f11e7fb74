import { describe, expect, it } from "vitest";
import { baselineDeployments, fill, presetId } from "./bench-deployments.js";

describe("bench deployments", () => {
  it("fills GPUs with the smallest preset degree that exists", () => {
    expect(fill("llama-3.1-8b", "h100", 8)).toEqual({ preset: "llama-3.1-8b/h100", instances: 8 });
    expect(fill("llama-3.1-70b", "h100", 8)).toEqual({ preset: "llama-3.1-70b/h100x4", instances: 2 });
    expect(() => fill("llama-3.1-70b", "h100", 2)).toThrow(/hold none/);
    expect(() => presetId("llama-3.1-8b", "h100", 3)).toThrow();
  });

  it("splits the static cascade evenly and gives single tiers every GPU", () => {
    const [small, large, cascade] = baselineDeployments(8, "h100", { small: "llama-3.1-8b", large: "llama-3.1-70b" });
    expect([small!.small.instances, small!.large.instances]).toEqual([8, 0]);
    expect([large!.small.instances, large!.large.instances]).toEqual([0, 2]);
    expect([cascade!.small.instances, cascade!.large.instances]).toEqual([4, 1]);
  });
});
