import { ErrorCode, WeirError } from "@weir/errors";
import { describe, expect, it } from "vitest";
import { KnobHolder } from "./deployment-knob.js";
import { LEARNED_POLICY, LearnedRouter } from "./learned-router.js";
import { MATH, TRIVIA, tinyArtifact } from "./test-support/tiny-artifact.js";

const tiers = [
  { name: "small", qeThreshold: 0.7 },
  { name: "large", qeThreshold: 0 },
];
const user = (content: string) => ({ model: "weir-auto", messages: [{ role: "user", content }], prompt: "" });

describe("LearnedRouter (clusters + budget β)", () => {
  it("starts a math word problem on small with the trained threshold, and says why", async () => {
    const plan = await new LearnedRouter({ tiers, artifact: tinyArtifact() }).plan(user(MATH[0]!));
    expect(plan.policy).toBe(LEARNED_POLICY);
    expect(plan.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["small", 0.5], ["large", 0]]);
    expect(plan.reason).toBe("cluster 0 (gsm8k; small acc 0.71±0.37, large 0.90): β=0.2 → start small, escalate below QE 0.50");
  });

  it("sends the cluster where small is weak straight to large", async () => {
    const router = new LearnedRouter({ tiers, artifact: tinyArtifact() });
    const plan = await router.plan(user(TRIVIA[1]!));
    expect(plan.steps.map((s) => s.tier)).toEqual(["large"]);
    expect(plan.reason).toMatch(/^cluster 1 \(mmlu\/anatomy; .*\): β=0\.2 → start large$/);
    expect(router.planSync(user(TRIVIA[1]!)).reason).toBe(plan.reason);
  });

  it("router.budget overrides β: 0 buys quality, a large β the cheapest tier", async () => {
    const quality = await new LearnedRouter({ tiers, artifact: tinyArtifact(), budget: 0 }).plan(user(MATH[0]!));
    expect(quality.steps.map((s) => s.tier)).toEqual(["large"]);
    const cheap = await new LearnedRouter({ tiers, artifact: tinyArtifact(), budget: 10 }).plan(user(TRIVIA[1]!));
    expect(cheap.steps[0]?.tier).toBe("small");
  });

  it("embeds the last user message, and reads a flattened prompt when there are no messages", async () => {
    const router = new LearnedRouter({ tiers, artifact: tinyArtifact() });
    const chat = await router.plan({ model: "weir-auto", prompt: "", messages: [{ role: "user", content: TRIVIA[0]! }, { role: "assistant", content: "B" }, { role: "user", content: MATH[1]! }] });
    expect(chat.reason).toMatch(/^cluster 0 /);
    const flat = await router.plan({ model: "weir-auto", messages: [], prompt: `<|system|>\nbe brief\n<|user|>\n${TRIVIA[2]!}\n` });
    expect(flat.reason).toMatch(/^cluster 1 /);
  });

  it("uses the thresholds for clusters without answer text where the artifact has them", async () => {
    const a = tinyArtifact();
    const artifact = { ...a, qe: { ...a.qe, thresholdsWithoutText: { small: 0.9 } } };
    const router = new LearnedRouter({ tiers, artifact, budget: 10 });
    expect((await router.plan(user(TRIVIA[0]!))).steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["small", 0.9], ["large", 0]]);
    expect((await router.plan(user(MATH[0]!))).steps[0]?.qeThreshold).toBe(0.5);
  });

  it("marks the next rung for warm-up when the current tier's predicted acceptance is below router.warmUp.acceptBelow", async () => {
    // Cluster 0: small's accuracy (the predicted acceptance) is 0.71; β = 10 starts cluster 1 on small too (0.40).
    const plan = (below: number, q: string) => new LearnedRouter({ tiers, artifact: tinyArtifact(), budget: 10, warmUpBelow: below }).planSync(user(q));
    expect(plan(0, MATH[0]!).steps.map((s) => s.warmUp)).toEqual([false, false]);
    expect(plan(0.5, MATH[0]!).steps.map((s) => s.warmUp)).toEqual([false, false]);
    const weak = plan(0.5, TRIVIA[0]!);
    expect(weak.steps.map((s) => [s.tier, s.warmUp])).toEqual([["small", false], ["large", true]]);
    expect(weak.reason).toMatch(/; warm up large \(small accepted ≈ 0\.40 < 0\.50\)$/);
    expect(plan(0.8, MATH[0]!).steps.map((s) => s.warmUp)).toEqual([false, true]);
    expect(plan(1, MATH[0]!).steps.map((s) => s.warmUp)).toEqual([false, true]);
    // A one-rung plan has nothing to warm.
    expect((await new LearnedRouter({ tiers, artifact: tinyArtifact(), warmUpBelow: 1 }).plan(user(TRIVIA[1]!))).steps.map((s) => s.warmUp)).toEqual([false]);
    expect(new LearnedRouter({ tiers, artifact: tinyArtifact() }).predictedAcceptance(1, "small")).toBe(0.4);
  });

  it("refuses a warm-up threshold that is not a probability", () => {
    expect(() => new LearnedRouter({ tiers, artifact: tinyArtifact(), warmUpBelow: 1.5 })).toThrow(/router.warmUp.acceptBelow is 1.5/);
  });

  it("pins a named tier and rejects unknown models", async () => {
    const router = new LearnedRouter({ tiers, artifact: tinyArtifact() });
    expect((await router.plan({ model: "large", messages: [], prompt: "x" })).steps.map((s) => s.tier)).toEqual(["large"]);
    await expect(router.plan({ model: "gpt-9", messages: [], prompt: "x" })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  it("refuses an artifact whose tiers weir.yaml does not configure", () => {
    let err: unknown;
    try {
      new LearnedRouter({ tiers: [{ name: "small", qeThreshold: 0.5 }], artifact: tinyArtifact() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).message).toMatch(/routes to tier "large" that weir.yaml does not configure/);
  });

  describe("the deployment plan's knob", () => {
    const steps = (p: { steps: { tier: string; qeThreshold: number }[] }) => p.steps.map((s) => [s.tier, s.qeThreshold]);

    it("no knob, or an empty one, plans exactly as before", async () => {
      const plain = new LearnedRouter({ tiers, artifact: tinyArtifact(), warmUpBelow: 0.5 });
      for (const knob of [new KnobHolder(), new KnobHolder({}), new KnobHolder({ thresholdShift: 0 })]) {
        const knobbed = new LearnedRouter({ tiers, artifact: tinyArtifact(), warmUpBelow: 0.5, knob });
        for (const q of [...MATH, ...TRIVIA]) {
          for (const targets of [{}, { maxCostUsd: 0.001, promptTokens: 40 }, { minQuality: 0.8, promptTokens: 40 }]) {
            const req = { ...user(q), ...targets };
            expect(await knobbed.plan(req)).toEqual(await plain.plan(req));
          }
        }
        expect(knobbed.effectiveBeta()).toBe(plain.beta);
      }
    });

    it("β replaces router.budget and the artifact's: start tiers follow the clusters' starts, and change with the holder", async () => {
      const knob = new KnobHolder({ budget: 0 });
      const router = new LearnedRouter({ tiers, artifact: tinyArtifact(), budget: 10, knob });
      // Cluster 0 starts: small 0.86 (cost 0.4), large 0.90 (cost 1): β = 0 buys large.
      const quality = await router.plan(user(MATH[0]!));
      expect(steps(quality)).toEqual([["large", 0]]);
      expect(quality.reason).toMatch(/: β=0 \(deployment plan\) → start large$/);
      expect(router.effectiveBeta()).toBe(0);
      // β = 10 starts both clusters on small, the artifact's β (0.2) sends cluster 1 to large.
      knob.set({ budget: 10 });
      expect((await router.plan(user(TRIVIA[1]!))).steps.map((s) => s.tier)).toEqual(["small", "large"]);
      knob.set({ budget: 0.2 });
      expect((await router.plan(user(TRIVIA[1]!))).steps.map((s) => s.tier)).toEqual(["large"]);
      expect((await router.plan(user(MATH[0]!))).steps.map((s) => s.tier)).toEqual(["small", "large"]);
      knob.set(undefined);
      expect((await router.plan(user(MATH[0]!))).reason).toMatch(/: β=10 → start small/);
    });

    it("the shift moves every non-final threshold, after the L4 overrides, clamped to [0, 1]", async () => {
      const knob = new KnobHolder({ thresholdShift: 0.2 });
      const router = new LearnedRouter({ tiers, artifact: tinyArtifact(), knob });
      const plan = await router.plan(user(MATH[0]!));
      expect(steps(plan)).toEqual([["small", 0.7], ["large", 0]]);
      expect(plan.reason).toMatch(/escalate below QE 0\.50; deployment plan: QE thresholds shifted \+0\.2$/);
      knob.set({ thresholdShift: 0.8 });
      expect(steps(router.planSync(user(MATH[0]!)))).toEqual([["small", 1], ["large", 0]]);
      knob.set({ thresholdShift: -0.9 });
      expect(steps(router.planSync(user(MATH[0]!)))).toEqual([["small", 0], ["large", 0]]);
      const overridden = new LearnedRouter({ tiers, artifact: tinyArtifact(), thresholdOverrides: { threshold: () => 0.6 }, knob: new KnobHolder({ thresholdShift: -0.1 }) });
      expect(overridden.planSync(user(MATH[0]!)).steps[0]!.qeThreshold).toBeCloseTo(0.5, 12);
      // A one-rung plan has no threshold to shift, and says nothing about it.
      const single = router.planSync(user(TRIVIA[1]!));
      expect(steps(single)).toEqual([["large", 0]]);
      expect(single.reason).not.toContain("shifted");
    });

    it("an only tier plans every weir-auto request as that tier alone; pinned models stay pinned", async () => {
      const knob = new KnobHolder({ onlyTier: "small", budget: 0, thresholdShift: 0.3 });
      const router = new LearnedRouter({ tiers, artifact: tinyArtifact(), warmUpBelow: 1, knob });
      for (const q of [...MATH, ...TRIVIA]) {
        const plan = await router.plan(user(q));
        expect(plan.steps.map((s) => [s.tier, s.qeThreshold, s.warmUp])).toEqual([["small", 0, false]]);
        expect(plan.reason).toBe("deployment plan: small serves every request");
        expect(plan.policy).toBe(LEARNED_POLICY);
        expect(router.planSync(user(q))).toEqual(plan);
      }
      expect((await router.plan({ model: "large", messages: [], prompt: "x" })).steps.map((s) => s.tier)).toEqual(["large"]);
      // Per-request targets still apply on top: they are estimated on the only tier, and say so.
      const capped = await router.plan({ ...user(MATH[0]!), maxCostUsd: 1e-9, promptTokens: 40 });
      expect(capped.steps.map((s) => s.tier)).toEqual(["small"]);
      expect(capped.targetsNote).toMatch(/^max cost \$1e-9: max cost \$1e-9 is below the cheapest tier's estimated cost .*using small, the cheapest$/);
      knob.set({ onlyTier: "large" });
      expect((await router.plan(user(MATH[0]!))).steps.map((s) => s.tier)).toEqual(["large"]);
      // A tier the router does not configure is ignored (the service refuses such a plan first).
      knob.set({ onlyTier: "medium" });
      expect((await router.plan(user(MATH[0]!))).steps.map((s) => s.tier)).toEqual(["small", "large"]);
    });
  });
});
