import { loadArtifact } from "@weir/routing";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatWarmupReport } from "./format-warmup-report.js";
import { runWarmupBench } from "./run-warmup-bench.js";

const dir = fileURLToPath(new URL("../../../../artifacts/gsm8k", import.meta.url));

describe("runWarmupBench", () => {
  it("runs cold and each warm-up threshold on the same requests, and reports them as simulated", () => {
    const report = runWarmupBench({
      artifact: loadArtifact(dir),
      artifactsDir: "artifacts/gsm8k",
      rate: 2,
      requests: 30,
      heldOut: false,
      contextTokens: 256,
      small: { preset: "llama-3.1-8b/h100", instances: 1 },
      large: { preset: "llama-3.1-8b/h100", instances: 2 },
      policy: "prefix-aware",
      acceptBelow: [0, 1],
      maxWarmUpsInFlight: 8,
      seed: 1,
    });
    expect(report.simulated).toBe(true);
    expect(report.variants.map((v) => v.name)).toEqual(["cold", "warm <0", "warm <1"]);
    const [cold, none, all] = report.variants;
    expect(new Set(report.variants.map((v) => v.escalations))).toEqual(new Set([report.cascade.escalations]));
    expect(none!.warmUps.asked).toBe(0);
    expect(none!.escalatedLargeTtftMs).toEqual(cold!.escalatedLargeTtftMs);
    expect(all!.warmUps.asked).toBe(report.cascade.startSmall);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const text = formatWarmupReport(report);
    expect(text).toContain("SIMULATED");
    expect(text).toMatch(/\n {2}cold +\d/);
    expect(text).toMatch(/\n {2}warm <1 +\d/);
  });
});
