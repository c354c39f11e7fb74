import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { PlanRequestSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { AUTO_MODEL, STATIC_LADDER_POLICY, StaticLadderRouter } from "./index.js";

const tiers = [
  { name: "small", qeThreshold: 0.7 },
  { name: "medium", qeThreshold: 0.6 },
  { name: "large", qeThreshold: 0.5 },
];

function thrown(fn: () => unknown): WeirError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WeirError) return err;
    throw err;
  }
  throw new Error("expected a WeirError, nothing was thrown");
}

describe("StaticLadderRouter (placeholder)", () => {
  it("plans weir-auto as every tier, cheapest first, the last rung at threshold 0", () => {
    const plan = new StaticLadderRouter({ tiers }).plan(
      create(PlanRequestSchema, { model: AUTO_MODEL, prompt: "hi" }),
    );
    expect(plan.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([
      ["small", 0.7],
      ["medium", 0.6],
      ["large", 0],
    ]);
    expect(plan.reason).toBe("static ladder from weir.yaml: small → medium → large");
    expect(plan.policy).toBe(STATIC_LADDER_POLICY);
  });

  it("asks for no warm-up by default; with warmUp always, on every rung after the first and never on a pinned tier", () => {
    const auto = create(PlanRequestSchema, { model: AUTO_MODEL, prompt: "hi" });
    expect(new StaticLadderRouter({ tiers }).plan(auto).steps.map((s) => s.warmUp)).toEqual([false, false, false]);
    expect(new StaticLadderRouter({ tiers, warmUp: "never" }).plan(auto).steps.some((s) => s.warmUp)).toBe(false);
    const warm = new StaticLadderRouter({ tiers, warmUp: "always" });
    const plan = warm.plan(auto);
    expect(plan.steps.map((s) => [s.tier, s.warmUp])).toEqual([
      ["small", false],
      ["medium", true],
      ["large", true],
    ]);
    expect(plan.reason).toContain("warm up every rung after the first");
    expect(warm.plan({ model: "large" }).steps.map((s) => s.warmUp)).toEqual([false]);
    expect(new StaticLadderRouter({ tiers: [tiers[0]!], warmUp: "always" }).plan(auto).steps.map((s) => s.warmUp)).toEqual([false]);
  });

  it("refuses an unknown warm-up switch at construction", () => {
    const err = thrown(() => new StaticLadderRouter({ tiers, warmUp: "sometimes" as "always" }));
    expect(err.code).toBe(ErrorCode.FAILED_PRECONDITION);
    expect(err.field).toBe("router.warmUp.staticLadder");
  });

  it("plans a single configured tier as one final rung", () => {
    const plan = new StaticLadderRouter({ tiers: [{ name: "only", qeThreshold: 0.9 }] }).plan({
      model: AUTO_MODEL,
    });
    expect(plan.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["only", 0]]);
    expect(plan.reason).toBe("static ladder from weir.yaml: only");
  });

  it("pins the ladder to a tier named as the model", () => {
    const plan = new StaticLadderRouter({ tiers }).plan({ model: "large" });
    expect(plan.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["large", 0]]);
    expect(plan.reason).toBe('model names tier "large": routing bypassed');
    expect(plan.policy).toBe(STATIC_LADDER_POLICY);
  });

  it("rejects an unknown model with NOT_FOUND naming it and the valid ones", () => {
    const err = thrown(() => new StaticLadderRouter({ tiers }).plan({ model: "gpt-9" }));
    expect(err.code).toBe(ErrorCode.NOT_FOUND);
    expect(err.field).toBe("model");
    expect(err.message).toContain('"gpt-9"');
    for (const m of ["weir-auto", "small", "medium", "large"]) expect(err.message).toContain(`"${m}"`);
  });

  it("reports an empty ladder as FAILED_PRECONDITION when asked to plan", () => {
    const router = new StaticLadderRouter({ tiers: [] });
    const err = thrown(() => router.plan({ model: AUTO_MODEL }));
    expect(err.code).toBe(ErrorCode.FAILED_PRECONDITION);
    expect(err.message).toMatch(/no model tiers are configured/);
  });

  it("refuses malformed tiers at construction", () => {
    const dup = thrown(() => new StaticLadderRouter({ tiers: [tiers[0]!, tiers[0]!] }));
    expect(dup.code).toBe(ErrorCode.FAILED_PRECONDITION);
    expect(dup.message).toMatch(/configured twice/);
    const range = thrown(() => new StaticLadderRouter({ tiers: [{ name: "s", qeThreshold: 1.5 }] }));
    expect(range.field).toBe("tiers[0].qeThreshold");
    const reserved = thrown(() => new StaticLadderRouter({ tiers: [{ name: AUTO_MODEL, qeThreshold: 0.5 }] }));
    expect(reserved.field).toBe("tiers[0].name");
  });

  it("accepts a config-shaped object and ignores later changes to it", () => {
    const config = { tiers: tiers.map((t) => ({ ...t, model: `m-${t.name}`, replicas: 1 })), slo: {} };
    const router = new StaticLadderRouter(config);
    config.tiers[0]!.qeThreshold = 0.1;
    expect(router.plan({ model: AUTO_MODEL }).steps[0]?.qeThreshold).toBe(0.7);
    expect(router.models()).toEqual(["weir-auto", "small", "medium", "large"]);
  });
});
