import { ErrorCode, WeirError } from "@weir/errors";
import { describe, expect, it } from "vitest";
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
});
