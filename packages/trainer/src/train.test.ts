import { RoutingModel, artifactProblems } from "@weir/routing";
import { describe, expect, it } from "vitest";
import { evaluateArtifact } from "./evaluate-artifact.js";
import { SYNTHETIC_TIERS, syntheticDataset } from "./test-support/synthetic-dataset.js";
import { train } from "./train.js";

const countTokens = (t: string): number => Math.ceil(t.length / 4);
const opts = { dataset: syntheticDataset(), tiers: SYNTHETIC_TIERS, countTokens, kCandidates: [1, 2, 4], target: 0.95, now: () => new Date("2025-01-01T00:00:00Z") };

describe("train (weir train as a library)", () => {
  it("writes a valid artifact with its settings, data hash and held-out metrics", async () => {
    const { artifact, report } = await train(opts);
    expect(artifactProblems(artifact)).toEqual([]);
    expect(artifact.dataHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifact.createdAt).toBe("2025-01-01T00:00:00.000Z");
    expect(artifact.settings).toMatchObject({ seed: 42, target: 0.95, k: report.chosen.k });
    expect(artifact.tiers.map((t) => t.name)).toEqual(["small", "large"]);
    expect(artifact.metrics).toMatchObject({ rows: report.rows.test });
    expect(report.kSelection.map((k) => k.k)).toEqual([1, 2, 4]);
    expect(report.methods.map((m) => m.method)).toEqual([
      "always small",
      "always large",
      "router only (clusters, no QE)",
      "escalation only (QE, no clusters)",
      "Weir (clusters + QE escalation)",
      "random mix at equal cost",
    ]);
  });

  it("separates the two kinds of question and learns that wrong arithmetic means a wrong answer", async () => {
    const { artifact, report } = await train(opts);
    // The QE sees the verifier: held-out answers are ranked well.
    expect(report.test.qe.auc ?? 0).toBeGreaterThan(0.8);
    const model = new RoutingModel(artifact);
    const q = "Sam has 3 bags with 7 marbles in each bag. How many marbles does Sam have in total? (case 999)";
    const c = await model.clusterOf(q);
    const right = model.estimate(q, "He has 3 x 7 = 21 marbles.\n#### 21", "small", c).probability;
    const wrong = model.estimate(q, "He has 3 x 7 = 24 marbles.\n#### 24", "small", c).probability;
    expect(right).toBeGreaterThan(wrong + 0.3);
  });

  it("is deterministic for a seed", async () => {
    const a = await train(opts);
    const b = await train(opts);
    expect(JSON.stringify(b.artifact)).toBe(JSON.stringify(a.artifact));
  });

  it("evaluates an artifact by replaying the cascade (what weir eval prints)", async () => {
    const { artifact } = await train(opts);
    const r = await evaluateArtifact(artifact, syntheticDataset(60, 9), { countTokens });
    expect(r.rows).toBe(60);
    expect(r.accuracy).toBeGreaterThan(0);
    expect(r.reached.small! + r.answeredBy.large!).toBeGreaterThan(0);
    expect(r.costRelative).toBeLessThanOrEqual(1.1);
    expect(r.neverStrongest).toBeCloseTo(1 - r.reached.large!, 6);
    expect(r.costSaving).toBeCloseTo(1 - r.costRelative, 6);
    // β = 0 starts every cluster at its most accurate option: never cheaper than the default β.
    const quality = await evaluateArtifact(artifact, syntheticDataset(60, 9), { countTokens, beta: 0 });
    expect(quality.costRelative).toBeGreaterThanOrEqual(r.costRelative);
  });

  it("refuses a tier map naming a model the data does not have", async () => {
    await expect(train({ ...opts, tiers: [SYNTHETIC_TIERS[0]!, { ...SYNTHETIC_TIERS[1]!, model: "gpt-9" }] })).rejects.toThrow(
      /has no column for "gpt-9" \(tier large\)/,
    );
  });
});
