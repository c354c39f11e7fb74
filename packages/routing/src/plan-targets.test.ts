import { describe, expect, it } from "vitest";
import { LearnedRouter } from "./learned-router.js";
import { fitTargets, type LadderCandidate } from "./plan-targets.js";
import { StaticLadderRouter } from "./static-ladder-router.js";
import { MATH, tinyArtifact } from "./test-support/tiny-artifact.js";

const tiers = [
  { name: "small", qeThreshold: 0.7 },
  { name: "large", qeThreshold: 0 },
];
// Cluster 0 of the tiny artifact at 100 prompt tokens (+256 expected output):
// small alone 0.71 for $0.000214; small -> large 0.86, expected $0.00273, at most $0.00889; large 0.90 for $0.00868.
const math = (targets: { minQuality?: number; maxCostUsd?: number }) => ({
  model: "weir-auto",
  messages: [{ role: "user", content: MATH[0]! }],
  prompt: "",
  promptTokens: 100,
  ...targets,
});
const ladder = async (targets: { minQuality?: number; maxCostUsd?: number }) => {
  const plan = await new LearnedRouter({ tiers, artifact: tinyArtifact() }).plan(math(targets));
  return { tiers: plan.steps.map((s) => [s.tier, s.qeThreshold]), note: plan.targetsNote, reason: plan.reason };
};

describe("LearnedRouter with per-request targets", () => {
  it("changes nothing, and notes nothing, without targets", async () => {
    expect(await ladder({})).toMatchObject({ tiers: [["small", 0.5], ["large", 0]], note: "" });
  });

  it("min quality: the cheapest ladder expected to reach it", async () => {
    const reachable = await ladder({ minQuality: 0.85 });
    expect(reachable.tiers).toEqual([["small", 0.5], ["large", 0]]);
    expect(reachable.note).toMatch(/^min quality 0\.85: small -> large is the cheapest ladder expected to reach it \(quality 0\.86/);
    const higher = await ladder({ minQuality: 0.88 });
    expect(higher.tiers).toEqual([["large", 0]]);
    expect(higher.reason).toMatch(/start large$/);
  });

  it("min quality no ladder reaches: the strongest, and says so", async () => {
    const r = await ladder({ minQuality: 0.99 });
    expect(r.tiers).toEqual([["large", 0]]);
    expect(r.note).toBe("min quality 0.99: no ladder reaches 0.99 on this cluster; using the strongest, large (quality 0.90)");
  });

  it("max cost that rules out large keeps the request on small alone, accepted unjudged", async () => {
    const r = await ladder({ maxCostUsd: 0.001 });
    expect(r.tiers).toEqual([["small", 0]]);
    expect(r.note).toMatch(/^max cost \$0\.001: rules out large; using small/);
  });

  it("max cost that fits the planned ladder keeps it", async () => {
    const r = await ladder({ maxCostUsd: 1 });
    expect(r.tiers).toEqual([["small", 0.5], ["large", 0]]);
    expect(r.note).toMatch(/the planned ladder small -> large fits/);
  });

  it("max cost below every tier: the cheapest tier, and says so", async () => {
    const r = await ladder({ maxCostUsd: 0.0001 });
    expect(r.tiers).toEqual([["small", 0]]);
    expect(r.note).toMatch(/is below the cheapest tier's estimated cost \(\$0\.000214 for this prompt\); using small, the cheapest/);
  });

  it("the cap wins over quality when both cannot hold", async () => {
    const r = await ladder({ minQuality: 0.85, maxCostUsd: 0.001 });
    expect(r.tiers).toEqual([["small", 0]]);
    expect(r.note).toMatch(/no ladder within \$0\.001 reaches 0\.85 on this cluster; using the strongest, small/);
  });
});

describe("fitTargets", () => {
  const c = (tiers: string[], quality: number, expectedCostUsd: number, worstCostUsd = expectedCostUsd): LadderCandidate => ({
    tiers,
    quality,
    expectedCostUsd,
    worstCostUsd,
  });
  it("checks the cap against the worst case, so a judged rung's escalation cannot break it", () => {
    const fit = fitTargets([c(["a"], 0.5, 1), c(["a", "b"], 0.9, 2, 5), c(["b"], 0.9, 4)], { maxCostUsd: 4.5 }, ["a", "b"]);
    expect(fit.tiers).toEqual(["b"]);
  });
});

describe("StaticLadderRouter with per-request targets", () => {
  const router = new StaticLadderRouter({
    tiers: [
      { name: "small", qeThreshold: 0.6, pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
      { name: "large", qeThreshold: 0, pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
    ],
  });
  // At 100 prompt tokens (+256 output): small est. $0.0000612, large $0.000612.
  const plan = (t: { minQuality?: number; maxCostUsd?: number }) => router.plan({ model: "weir-auto", promptTokens: 100, ...t });

  it("drops the rungs a max cost rules out, and the kept last rung is accepted unjudged", () => {
    const p = plan({ maxCostUsd: 0.0003 });
    expect(p.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["small", 0]]);
    expect(p.targetsNote).toBe("max cost $0.0003: dropped large est. $0.000612; kept small");
  });

  it("keeps the cheapest rung when the cap is below every tier", () => {
    const p = plan({ maxCostUsd: 0.00001 });
    expect(p.steps.map((s) => s.tier)).toEqual(["small"]);
    expect(p.targetsNote).toMatch(/below every tier's estimated cost.*kept small, the cheapest/);
  });

  it("says it has no quality estimate for a min quality, and keeps the ladder", () => {
    const p = plan({ minQuality: 0.9 });
    expect(p.steps.map((s) => [s.tier, s.qeThreshold])).toEqual([["small", 0.6], ["large", 0]]);
    expect(p.targetsNote).toMatch(/^min quality 0\.90: the static ladder has no quality estimate/);
  });

  it("notes nothing without targets", () => {
    expect(plan({}).targetsNote).toBe("");
  });
});
