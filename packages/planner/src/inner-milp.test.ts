import { describe, expect, it } from "vitest";
import type { DeploymentOption } from "./deployment-option.js";
import { type Candidate, type TierCandidates, solveInnerMilp } from "./inner-milp.js";
import { MilpError } from "./solve-milp.js";

function option(tensorParallel: number, replicas: number): DeploymentOption {
  return { tensorParallel, replicas, gpus: tensorParallel * replicas, kvCapacityTokens: 100_000 };
}

/** A tier with TP1 options of 1..max replicas and the given latency per replica count. */
function tier(name: string, requests: number, latencyByReplicas: number[], attainment?: number[]): TierCandidates {
  return {
    tier: name,
    requests,
    candidates: latencyByReplicas.map((latencyMs, i) => ({
      option: option(1, i + 1),
      latencyMs,
      ...(attainment === undefined ? {} : { sloAttainment: attainment[i]! }),
    })),
  };
}

/** Every way to pick one candidate per tier within the GPUs. */
function* allPlans(tiers: readonly TierCandidates[], gpus: number, prefix: Candidate[] = []): Generator<Candidate[]> {
  if (prefix.length === tiers.length) {
    yield prefix;
    return;
  }
  for (const c of tiers[prefix.length]!.candidates) {
    const used = prefix.reduce((s, p) => s + p.option.gpus, 0) + c.option.gpus;
    if (used <= gpus) yield* allPlans(tiers, gpus, [...prefix, c]);
  }
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("solveInnerMilp", () => {
  it("finds the least worst-tier latency, as brute force does, on random tables", async () => {
    const rand = random(7);
    for (let trial = 0; trial < 4; trial++) {
      const tiers = [0, 1, 2].map((t) => {
        const load = 1 + rand() * 9;
        const lat = Array.from({ length: 5 }, (_, r) => (100 * load) / (r + 1) + rand() * 20);
        return tier(`t${t}`, 10, lat);
      });
      const gpus = 4 + Math.floor(rand() * 6);
      const best = Math.min(...[...allPlans(tiers, gpus)].map((p) => Math.max(...p.map((c) => c.latencyMs))));
      const plan = await solveInnerMilp({ gpus, tiers, objective: "min-latency" });
      expect(plan.worstLatencyMs).toBeCloseTo(best, 6);
      expect(plan.gpusUsed).toBeLessThanOrEqual(gpus);
    }
  });

  it("maximises request-weighted SLO attainment, as brute force does", async () => {
    const rand = random(11);
    for (let trial = 0; trial < 4; trial++) {
      const tiers = [0, 1].map((t) => {
        const att = Array.from({ length: 6 }, (_, r) => Math.min(1, (0.3 + rand() * 0.2) * (r + 1)));
        return tier(`t${t}`, 1 + Math.floor(rand() * 100), [100, 90, 80, 70, 60, 50], att);
      });
      const total = tiers[0]!.requests + tiers[1]!.requests;
      const score = (p: Candidate[]): number => p.reduce((s, c, i) => s + tiers[i]!.requests * c.sloAttainment!, 0) / total;
      const best = Math.max(...[...allPlans(tiers, 6)].map(score));
      const plan = await solveInnerMilp({ gpus: 6, tiers, objective: "max-slo-attainment" });
      expect(plan.sloAttainment).toBeCloseTo(best, 6);
    }
  });

  it("gives the GPUs a bottleneck tier does not need to the other tier (second objective)", async () => {
    // Tier a is the bottleneck at any split; b improves with every GPU. Worst latency is a's
    // for any b ≥ 1, so only the tie-break decides b: it should take all that a leaves.
    const plan = await solveInnerMilp({
      gpus: 6,
      objective: "min-latency",
      tiers: [tier("a", 10, [1000, 900, 900, 900, 900]), tier("b", 10, [500, 400, 300, 200, 100])],
    });
    const split = plan.choices.map((c) => c.candidate.option.replicas);
    expect(split).toEqual([2, 4]);
  });

  it("says how many GPUs the smallest options need when there are too few", async () => {
    const tiers: TierCandidates[] = [
      { tier: "small", requests: 1, candidates: [{ option: option(1, 1), latencyMs: 10 }] },
      { tier: "large", requests: 1, candidates: [{ option: option(4, 1), latencyMs: 20 }] },
    ];
    const error = await solveInnerMilp({ gpus: 4, tiers, objective: "min-latency" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MilpError);
    expect((error as MilpError).failure).toBe("infeasible");
    expect((error as MilpError).message).toMatch(/smallest options need 5/);
  });

  describe("re-planning with a reallocation cost", () => {
    // Two tiers on 8 GPUs, deployed 4 + 4 today.
    const current = { tensorParallel: 1, replicas: 4 };
    const tables = (gain: number): TierCandidates[] => [
      // 5 + 3 beats 4 + 4 by `gain` of the worst latency.
      { ...tier("a", 10, [800, 400, 300, 200, 200 * (1 - gain), 150, 140]), current },
      { ...tier("b", 10, [700, 350, 200 * (1 - gain), 200, 100, 90, 80]), current },
    ];
    const split = async (gain: number, cost: number): Promise<number[]> => {
      const plan = await solveInnerMilp({ gpus: 8, objective: "min-latency", tiers: tables(gain), reallocationCostPerGpu: cost });
      return plan.choices.map((c) => c.candidate.option.replicas);
    };

    it("without a cost, follows a 1% gain", async () => {
      expect(await split(0.01, 0)).toEqual([5, 3]);
    });

    it("with 0.02 per GPU, ignores a 1% gain (moving 2 GPUs must buy 4%)", async () => {
      expect(await split(0.01, 0.02)).toEqual([4, 4]);
    });

    it("with 0.02 per GPU, still follows a 30% gain", async () => {
      expect(await split(0.3, 0.02)).toEqual([5, 3]);
    });

    it("counts the GPUs a move starts or stops", async () => {
      const plan = await solveInnerMilp({ gpus: 8, objective: "min-latency", tiers: tables(0.3), reallocationCostPerGpu: 0.02 });
      expect(plan.movedGpus).toBe(2);
    });
  });
});
