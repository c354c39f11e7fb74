import { describe, expect, it } from "vitest";
import { baselineDeployments, fill, presetId } from "./bench-deployments.js";

describe("bench deployments", () => {
  it("fills GPUs with the smallest degree the model fits at", () => {
    expect(fill("llama-3.1-8b", "h100", 8)).toEqual({ preset: "llama-3.1-8b/h100", instances: 8 });
    // 70B in BF16 (141 GB) does not fit one 80 GB H100; it does fit two.
    expect(fill("llama-3.1-70b", "h100", 8)).toEqual({ preset: "llama-3.1-70b/h100x2", instances: 4 });
    expect(fill("llama-3.1-70b", "h200", 8)).toEqual({ preset: "llama-3.1-70b/h200x2", instances: 4 });
    expect(() => fill("llama-3.1-70b", "h100", 1)).toThrow(/hold none/);
    expect(() => presetId("llama-3.1-8b", "h100", 3)).toThrow();
    expect(() => presetId("llama-3.1-70b", "h100", 1)).toThrow(/does not fit/);
  });

  it("splits the static cascade evenly and gives single tiers every GPU", () => {
    const [small, large, cascade] = baselineDeployments(8, "h100", { small: "llama-3.1-8b", large: "llama-3.1-70b" });
    expect([small!.small.instances, small!.large.instances]).toEqual([8, 0]);
    expect([large!.small.instances, large!.large.instances]).toEqual([0, 4]);
    expect([cascade!.small.instances, cascade!.large.instances]).toEqual([4, 2]);
  });
});
