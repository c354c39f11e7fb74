import { type TraceRequest, scaleTrace } from "@weir/datasets";
import { describe, expect, it } from "vitest";
import { type DeploymentPlan, planDeployment } from "./plan-deployment.js";
import { TierLatencyModel } from "./tier-latency-model.js";

// Tiny synthetic traffic on Llama-3.1-8B/H100 with TP1 only, so each test
// simulates a handful of small runs. 4k-token prompts make prefill the
// bottleneck: one H100 prefills ≈ 7 of them per second (simulated).
function steady(perSecond: number, seconds: number, inputTokens = 4000, outputTokens = 16): TraceRequest[] {
  const n = Math.round(perSecond * seconds);
  return Array.from({ length: n }, (_, i) => ({ arrivalMs: (i * 1000) / perSecond, inputTokens, outputTokens }));
}

const gpusOf = (plan: DeploymentPlan, tier: string): number => plan.tiers.find((t) => t.name === tier)?.option?.gpus ?? 0;

describe("planDeployment", () => {
  it("gives the tier with 10× the traffic more GPUs, under either objective", async () => {
    const latencyModel = new TierLatencyModel();
    const tiers = [
      { name: "quiet", model: "llama-3.1-8b", traffic: steady(2, 4) },
      { name: "busy", model: "llama-3.1-8b", traffic: steady(20, 4) },
    ];
    const base = { gpus: 6, gpu: "h100", tiers, tensorParallelDegrees: [1], latencyModel, slo: { e2eMs: 1500 } };
    const fastest = await planDeployment(base);
    expect(gpusOf(fastest, "busy")).toBeGreaterThan(gpusOf(fastest, "quiet"));
    expect(fastest.gpusUsed).toBeLessThanOrEqual(6);
    expect(fastest.worstLatencyMs).toBe(Math.max(...fastest.tiers.map((t) => t.latency!.e2eMs.p95)));

    const attained = await planDeployment({ ...base, objective: "max-slo-attainment" });
    expect(gpusOf(attained, "busy")).toBeGreaterThan(gpusOf(attained, "quiet"));
    // Same tiers, same options, same traffic: the second plan simulates nothing.
    expect(attained.simulations).toBe(0);
    expect(attained.cacheHits).toBe(fastest.simulations);
  });

  it("gives a tier without traffic no GPUs", async () => {
    const plan = await planDeployment({
      gpus: 2,
      gpu: "h100",
      tensorParallelDegrees: [1],
      tiers: [
        { name: "small", model: "llama-3.1-8b", traffic: steady(2, 2) },
        { name: "large", model: "llama-3.1-70b", traffic: [] },
      ],
    });
    expect(plan.tiers.find((t) => t.name === "large")!.option).toBeUndefined();
    expect(plan.deployment.tiers.map((t) => t.name)).toEqual(["small"]);
  });

  it("says which tiers do not fit when the GPUs are too few", async () => {
    await expect(
      planDeployment({
        gpus: 2,
        gpu: "h100",
        tiers: [
          { name: "small", model: "llama-3.1-8b", traffic: steady(1, 1) },
          { name: "large", model: "llama-3.1-70b", traffic: steady(1, 1) },
        ],
      }),
    ).rejects.toThrow(/large \(llama-3.1-70b\) needs ≥ 2/);
  });

  it("re-planning keeps the deployment under a 5% traffic change and moves it under a 3× change", async () => {
    const latencyModel = new TierLatencyModel();
    const a = steady(10, 5);
    const b = steady(10, 5);
    // Deployed today: an even split. At these rates 3 + 5 and 4 + 4 differ by
    // the step-time jitter alone (≈ 1 ms of 250, simulated), so without a cost
    // the planner would churn between them.
    const evenSplit = {
      gpu: "h100",
      tiers: [
        { name: "a", tensorParallel: 1, replicas: 4 },
        { name: "b", tensorParallel: 1, replicas: 4 },
      ],
    };
    const replan = (bTraffic: TraceRequest[]): Promise<DeploymentPlan> =>
      planDeployment({
        gpus: 8,
        gpu: "h100",
        tensorParallelDegrees: [1],
        latencyModel,
        tiers: [
          { name: "a", model: "llama-3.1-8b", traffic: a },
          { name: "b", model: "llama-3.1-8b", traffic: bTraffic },
        ],
        current: evenSplit,
      });
    const slightly = await replan(scaleTrace(b, { rate: 1.05 }));
    expect(slightly.deployment).toEqual(evenSplit);
    expect(slightly.movedGpus).toBe(0);

    const surge = await replan(scaleTrace(steady(10, 15), { rate: 3 }));
    expect(gpusOf(surge, "b")).toBeGreaterThan(4);
    expect(surge.movedGpus).toBe(2 * (gpusOf(surge, "b") - 4));
  }, 60_000); // ≈ 2 s alone; the shared build machine can make it many times that
});
