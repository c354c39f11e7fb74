import type { TraceRequest } from "@weir/datasets";
import { describe, expect, it } from "vitest";
import { tinyCascade } from "../test-support/tiny-cascade.js";
import { TierLatencyModel } from "../tier-latency-model.js";
import { planCascade } from "./plan-cascade.js";

// 24 short requests in 3 s (simulated), 4 H100s: the small tier's stand-in is
// Llama-3.1-8B, the large one's Llama-3.1-70B at TP2 (the only degree ≥ 2 we
// allow, to keep the runs few). Serving everything on 8B is faster and
// scores 0.75; serving everything on 70B is slower and scores 1.
const trace: TraceRequest[] = Array.from({ length: 24 }, (_, i) => ({ arrivalMs: i * 125, inputTokens: 1000, outputTokens: 32 }));
const knobs = [
  { beta: 0, thresholdShift: 0 }, // all on large
  { beta: 1, thresholdShift: 0 }, // all on small, nothing escalates
  { beta: 1, thresholdShift: 0.45 }, // all on small, everything escalates: the large tier's quality, more traffic
];
const latencyModel = new TierLatencyModel();
const plan = (minQuality: number, more: Partial<Parameters<typeof planCascade>[0]> = {}) =>
  planCascade({
    gpus: 4,
    gpu: "h100",
    trace,
    cascade: tinyCascade(),
    simModels: ["llama-3.1-8b", "llama-3.1-70b"],
    minQuality,
    knobs,
    tensorParallelDegrees: [1, 2],
    latencyModel,
    ...more,
  });

describe("planCascade", () => {
  it("keeps both ends on the front, prunes the knob with more traffic and no better quality, and meets the quality bound", async () => {
    const r = await plan(0.97);
    const [strong, cheap, both] = r.candidates;
    expect(strong!.tierRequests).toEqual([0, 24]);
    expect(cheap!.tierRequests).toEqual([24, 0]);
    expect(both!.tierRequests).toEqual([24, 24]);
    expect(both!.plan).toBeUndefined();
    expect(both!.skipped).toMatch(/pruned/);
    // A tier without traffic gets no GPUs; the other may take all four.
    expect(strong!.plan!.deployment.tiers.map((t) => t.name)).toEqual(["large"]);
    expect(cheap!.plan!.deployment.tiers.map((t) => t.name)).toEqual(["small"]);
    expect(cheap!.latencyMs!).toBeLessThan(strong!.latencyMs!);
    expect(r.front).toEqual([1, 0]);
    expect(r.chosen).toBe(0);
    expect(r.sweep[0]).toEqual({ weight: 0, candidate: 0 });
    expect(r.sweep.at(-1)).toEqual({ weight: 1, candidate: 1 });
  });

  it("chooses the faster plan when its quality is enough, and none when no plan is good enough", async () => {
    const loose = await plan(0.75);
    expect(loose.chosen).toBe(1);
    expect(loose.simulations).toBe(0); // same traffic again: every run comes from the cache
    const impossible = await plan(1.01);
    expect(impossible.chosen).toBeUndefined();
  });

  it("plans the knob it would prune when pruning is off", async () => {
    const r = await plan(0.97, { pruneByTraffic: false });
    const both = r.candidates[2]!;
    expect(both.plan?.deployment.tiers.map((t) => t.name)).toEqual(["small", "large"]);
    // It serves the large tier's traffic with fewer GPUs for it: never faster than all-on-large.
    expect(both.latencyMs!).toBeGreaterThanOrEqual(r.candidates[0]!.latencyMs!);
    expect(r.front).not.toContain(2);
  });

  it("re-planning from the running deployment keeps it when moving GPUs costs more than it gains", async () => {
    const fresh = await plan(0.75);
    const chosen = fresh.candidates[fresh.chosen!]!.plan!.deployment;
    const small = chosen.tiers.find((t) => t.name === "small")!;
    // Another way to run the small tier on the same 4 GPUs.
    const other = small.tensorParallel === 1 ? { tensorParallel: 2, replicas: 2 } : { tensorParallel: 1, replicas: 4 };
    const current = { gpu: "h100", tiers: [{ name: "small", ...other }] };
    const replanned = await plan(0.75, { current, reallocationCostPerGpu: 1e6 });
    const kept = replanned.candidates[replanned.chosen!]!.plan!;
    expect(kept.deployment.tiers).toEqual(current.tiers);
    expect(kept.tiers.every((t) => t.movedGpus === 0)).toBe(true);
  });
});
