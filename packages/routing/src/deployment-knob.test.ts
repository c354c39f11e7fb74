import { create } from "@bufbuild/protobuf";
import { DeploymentPlanSchema, PlanStepSchema, RoutePlanSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { KnobHolder, avoidIdleTiers, describeKnob, knobFromDeploymentPlan, shiftedThreshold } from "./deployment-knob.js";
import { AUTO_MODEL } from "./ladder-tier.js";
import { StaticLadderRouter } from "./static-ladder-router.js";

const names = ["small", "medium", "large"];
const steps = (p: { steps: { tier: string; qeThreshold: number; warmUp?: boolean }[] }) => p.steps.map((s) => [s.tier, s.qeThreshold]);

describe("knobFromDeploymentPlan", () => {
  it("reads β, the shift, the only tier and the idle tiers of a weir.v1.DeploymentPlan", () => {
    const plan = create(DeploymentPlanSchema, {
      gpu: "h100",
      tiers: [
        { tier: "small", replicas: 2 },
        { tier: "medium", replicas: 0 },
        { tier: "large", replicas: 1 },
      ],
      routerBudget: 0.5,
      qeThresholdShift: -0.1,
      source: "weir plan --apply",
    });
    expect(knobFromDeploymentPlan(plan, names)).toEqual({
      knob: { budget: 0.5, thresholdShift: -0.1, idleTiers: ["medium"], source: "weir plan --apply" },
    });
    const alone = create(DeploymentPlanSchema, { tiers: [{ tier: "small", replicas: 0 }, { tier: "large", replicas: 2 }], onlyTier: "large" });
    expect(knobFromDeploymentPlan(alone, names)).toEqual({ knob: { onlyTier: "large", idleTiers: ["small"] } });
    expect(knobFromDeploymentPlan(create(DeploymentPlanSchema, {}), names)).toEqual({ knob: {} });
  });

  it("refuses a plan naming a tier the router does not configure, or a β that is not ≥ 0, in one sentence", () => {
    expect(knobFromDeploymentPlan({ onlyTier: "huge", qeThresholdShift: 0, tiers: [] }, names).ignored).toBe(
      'deployment plan ignored: it names tier "huge" that this router does not configure (configured: "small", "medium", "large")',
    );
    expect(knobFromDeploymentPlan({ onlyTier: "", qeThresholdShift: 0, tiers: [{ tier: "xl", replicas: 1 }, { tier: "xs", replicas: 0 }] }, names).ignored).toMatch(
      /names tiers "xl", "xs" that/,
    );
    expect(knobFromDeploymentPlan({ routerBudget: -1, onlyTier: "", qeThresholdShift: 0, tiers: [] }, names).ignored).toMatch(/β is -1/);
    expect(knobFromDeploymentPlan({ onlyTier: "", qeThresholdShift: Number.NaN, tiers: [] }, names).ignored).toMatch(/threshold shift is NaN/);
  });

  it("describes a knob in one line", () => {
    expect(describeKnob({ budget: 0.125, thresholdShift: 0.1, idleTiers: ["medium"] })).toBe("β=0.125, threshold shift +0.1, no workers on medium");
    expect(describeKnob({ onlyTier: "large", idleTiers: ["small"] })).toBe("large serves every request, no workers on small");
    expect(describeKnob({})).toBe("β unchanged, threshold shift +0");
  });

  it("shifts thresholds within [0, 1], and leaves them untouched without a shift", () => {
    expect(shiftedThreshold(0.7, undefined)).toBe(0.7);
    expect(shiftedThreshold(0.7, { thresholdShift: 0 })).toBe(0.7);
    expect(shiftedThreshold(0.7, { thresholdShift: 0.5 })).toBe(1);
    expect(shiftedThreshold(0.2, { thresholdShift: -0.5 })).toBe(0);
    expect(shiftedThreshold(0.5, { thresholdShift: 0.25 })).toBe(0.75);
  });
});

describe("avoidIdleTiers", () => {
  const ladder = () =>
    create(RoutePlanSchema, {
      steps: [
        create(PlanStepSchema, { tier: "small", qeThreshold: 0.7 }),
        create(PlanStepSchema, { tier: "medium", qeThreshold: 0.6, warmUp: true }),
        create(PlanStepSchema, { tier: "large", qeThreshold: 0, warmUp: true }),
      ],
      reason: "static ladder",
    });

  it("leaves a plan alone without idle tiers, or when the plan avoids them already", () => {
    expect(avoidIdleTiers(ladder(), undefined, names)).toEqual(ladder());
    expect(avoidIdleTiers(ladder(), { budget: 1 }, names)).toEqual(ladder());
    const single = create(RoutePlanSchema, { steps: [create(PlanStepSchema, { tier: "large" })], reason: "r" });
    expect(avoidIdleTiers(single, { idleTiers: ["small"] }, names).reason).toBe("r");
    const reuse = create(RoutePlanSchema, { steps: [], reason: "turn reuse" });
    expect(avoidIdleTiers(reuse, { idleTiers: names }, names)).toEqual(create(RoutePlanSchema, { steps: [], reason: "turn reuse" }));
  });

  it("drops the rungs on tiers without workers; the new last rung accepts, the new first is not warmed", () => {
    const noMedium = avoidIdleTiers(ladder(), { idleTiers: ["medium"] }, names);
    expect(noMedium.steps.map((s) => [s.tier, s.qeThreshold, s.warmUp])).toEqual([["small", 0.7, false], ["large", 0, true]]);
    expect(noMedium.reason).toBe("static ladder; deployment plan: no workers on medium, dropped that rung");
    const noLarge = avoidIdleTiers(ladder(), { idleTiers: ["large", "small"] }, names);
    expect(noLarge.steps.map((s) => [s.tier, s.qeThreshold, s.warmUp])).toEqual([["medium", 0, false]]);
    expect(noLarge.reason).toBe("static ladder; deployment plan: no workers on small, large, dropped those rungs");
  });

  it("falls back to the cheapest tier with workers when every rung is idle", () => {
    const strongest = create(RoutePlanSchema, { steps: [create(PlanStepSchema, { tier: "large" })], reason: "risk: strongest tier large only" });
    const plan = avoidIdleTiers(strongest, { idleTiers: ["large", "small"] }, names);
    expect(steps(plan)).toEqual([["medium", 0]]);
    expect(plan.reason).toBe("risk: strongest tier large only; deployment plan: no workers on large, serving on medium, the cheapest tier with workers");
  });
});

describe("StaticLadderRouter with the deployment plan's knob", () => {
  const tiers = [
    { name: "small", qeThreshold: 0.7 },
    { name: "medium", qeThreshold: 0.6 },
    { name: "large", qeThreshold: 0.5 },
  ];
  const auto = { model: AUTO_MODEL };

  it("an empty knob plans exactly as without one", () => {
    const plain = new StaticLadderRouter({ tiers, warmUp: "always" });
    for (const knob of [new KnobHolder(), new KnobHolder({})]) {
      const knobbed = new StaticLadderRouter({ tiers, warmUp: "always", knob });
      expect(knobbed.plan(auto)).toEqual(plain.plan(auto));
      expect(knobbed.plan({ ...auto, maxCostUsd: 0, promptTokens: 10 })).toEqual(plain.plan({ ...auto, maxCostUsd: 0, promptTokens: 10 }));
    }
  });

  it("an only tier is a one-rung plan; pinned models stay pinned", () => {
    const knob = new KnobHolder({ onlyTier: "medium", thresholdShift: 0.2 });
    const router = new StaticLadderRouter({ tiers, warmUp: "always", knob });
    const plan = router.plan(auto);
    expect(plan.steps.map((s) => [s.tier, s.qeThreshold, s.warmUp])).toEqual([["medium", 0, false]]);
    expect(plan.reason).toBe("deployment plan: medium serves every request");
    expect(steps(router.plan({ model: "large" }))).toEqual([["large", 0]]);
    knob.set(undefined);
    expect(router.plan(auto).steps.map((s) => s.tier)).toEqual(["small", "medium", "large"]);
  });

  it("the shift moves the non-final thresholds (after L4 overrides), clamped; β is ignored and said so once", () => {
    const logged: string[] = [];
    const knob = new KnobHolder({ thresholdShift: 0.35, budget: 0.5 });
    const router = new StaticLadderRouter({ tiers, knob, log: (m) => logged.push(m), thresholdOverrides: { threshold: (t) => (t === "medium" ? 0.5 : undefined) } });
    const plan = router.plan(auto);
    expect(steps(plan)).toEqual([["small", 1], ["medium", 0.85], ["large", 0]]);
    expect(plan.reason).toBe("static ladder from weir.yaml: small → medium → large; deployment plan: QE thresholds shifted +0.35");
    router.plan(auto);
    expect(logged).toEqual(["the deployment plan's router budget β=0.5 is ignored: the static ladder has no clusters to start by β"]);
  });
});
