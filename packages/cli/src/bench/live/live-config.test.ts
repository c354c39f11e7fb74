import { parseConfig } from "@weir/config";
import { describe, expect, it } from "vitest";
import type { BenchDeployment } from "../bench-deployments.js";
import { type LiveConfigOptions, STATIC_CASCADE_BUDGET, liveConfig } from "./live-config.js";

const OPTS: LiveConfigOptions = {
  tiers: [
    { name: "small", model: "mistralai/Mixtral-8x7B-Instruct-v0.1", pricing: { inputPerMTok: 0.6, outputPerMTok: 0.6 } },
    { name: "large", model: "gpt-4-1106-preview", pricing: { inputPerMTok: 10, outputPerMTok: 30 } },
  ],
  artifacts: "/abs/artifacts/gsm8k",
  replayDataset: "gsm8k",
  speedup: 20,
  seed: 3,
  policy: "prefix-aware",
  requestTimeoutMs: 4000,
};

const SMALL = { preset: "llama-3.1-8b/h100", instances: 8 };
const LARGE = { preset: "llama-3.1-70b/h100x4", instances: 2 };
const none = (s: { preset: string }) => ({ preset: s.preset, instances: 0 });

describe("liveConfig", () => {
  it("small-only: one sim tier replaying the small column, no judged rung", () => {
    const d: BenchDeployment = { name: "small-only", description: "d", small: SMALL, large: none(LARGE), routing: { kind: "only", tier: 0 } };
    const c = parseConfig(liveConfig(d, OPTS).yaml);
    expect(c.tiers).toHaveLength(1);
    const [t] = c.tiers;
    expect(t).toMatchObject({ name: "small", model: OPTS.tiers[0].model, engine: "sim", replicas: 8, pricing: { inputPerMTok: 0.6, outputPerMTok: 0.6 } });
    expect(t!.engineOptions).toMatchObject({ preset: "llama-3.1-8b/h100", speedup: 20, seed: 3, replay: { dataset: "gsm8k", model: OPTS.tiers[0].model } });
    expect(c.router.policy).toBe("static-ladder");
    expect(c.gateway).toMatchObject({ httpPort: 0, grpcPort: 0, requestTimeoutMs: 4000, streamingPolicy: "buffered" });
    expect(c.scheduler.policy).toBe("prefix-aware");
  });

  it("large-only: one tier replaying the large column", () => {
    const d: BenchDeployment = { name: "large-only", description: "d", small: none(SMALL), large: LARGE, routing: { kind: "only", tier: 1 } };
    const c = parseConfig(liveConfig(d, OPTS).yaml);
    expect(c.tiers.map((t) => [t.name, t.replicas, (t.engineOptions as { preset: string }).preset])).toEqual([["large", 2, "llama-3.1-70b/h100x4"]]);
  });

  it("static cascade: both tiers, learned router at a budget that starts every cluster small, trained judge, router layers off", () => {
    const d: BenchDeployment = { name: "static-cascade", description: "d", small: { ...SMALL, instances: 4 }, large: { ...LARGE, instances: 1 }, routing: { kind: "static-cascade" } };
    const { yaml, notes } = liveConfig(d, OPTS);
    const c = parseConfig(yaml);
    expect(c.tiers.map((t) => [t.name, t.replicas])).toEqual([["small", 4], ["large", 1]]);
    expect(c.router).toMatchObject({ policy: "learned", artifacts: OPTS.artifacts, budget: STATIC_CASCADE_BUDGET, risk: { enabled: false }, turnReuse: { enabled: false }, escalationMemory: { turns: 0 } });
    expect(c.judge).toMatchObject({ scorer: "trained", artifacts: OPTS.artifacts });
    expect(notes).toEqual([]);
  });

  it("Weir's knob: a DeploymentPlan with the planned workers, β and threshold shift, and a scheduler that runs the workers", () => {
    const d: BenchDeployment = { name: "weir", description: "d", small: SMALL, large: LARGE, routing: { kind: "knob", knob: { beta: 0.1368, thresholdShift: 0.1 } } };
    const { yaml, plan, notes } = liveConfig(d, OPTS);
    const c = parseConfig(yaml);
    expect(c.router.budget).toBeUndefined();
    expect(c.scheduler.localWorkers?.enabled).toBe(true);
    expect(plan).toMatchObject({ routerBudget: 0.1368, qeThresholdShift: 0.1, onlyTier: "", gpu: "h100" });
    expect((plan?.tiers ?? []).map((t) => [t.tier, t.preset, t.tensorParallel, t.replicas])).toEqual([
      ["small", SMALL.preset, 1, SMALL.instances],
      ["large", LARGE.preset, Number(/x(\d+)$/.exec(LARGE.preset)?.[1] ?? 1), LARGE.instances],
    ]);
    expect(notes.join()).toMatch(/weir plan --apply/);
  });

  it("refuses a tier the deployment gives no instance, and a preset @weir/sim cannot build", () => {
    const d: BenchDeployment = { name: "weir", description: "d", small: none(SMALL), large: LARGE, routing: { kind: "knob", knob: { beta: 0.1, thresholdShift: 0 } } };
    expect(() => liveConfig(d, OPTS)).toThrow(/needs at least one instance/);
    const odd: BenchDeployment = { name: "small-only", description: "d", small: { preset: "llama-3.1-8b/h100x3", instances: 2 }, large: none(LARGE), routing: { kind: "only", tier: 0 } };
    expect(() => liveConfig(odd, OPTS)).toThrow(/unknown sim preset "llama-3\.1-8b\/h100x3"/);
  });
});
