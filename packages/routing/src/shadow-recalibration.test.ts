import { ErrorCode, WeirError } from "@weir/errors";
import { loadGsm8k } from "@weir/datasets";
import { describe, expect, it } from "vitest";
import {
  AUTO_MODEL,
  ClusterMixDrift,
  StaticLadderRouter,
  ThresholdOverrideTable,
  ThresholdRecalibrator,
  answersAgree,
  noveltyAdjustedThreshold,
  noveltyOf,
  thresholdKey,
} from "./index.js";

describe("answersAgree", () => {
  it("compares worked math by the verifier's final numbers", () => {
    expect(answersAgree("3 x 60 = 180. #### 180", "60 * 3 = 180 so the answer is 180")).toMatchObject({ agree: true, method: "numeric" });
    expect(answersAgree("3 x 60 = 190. #### 190", "3 x 60 = 180. #### 180")).toMatchObject({ agree: false, method: "numeric" });
  });
  it("compares free text by normalised equality, then token overlap", () => {
    expect(answersAgree("Paris.", "paris")).toMatchObject({ agree: true, method: "text" });
    expect(answersAgree("The capital is Paris", "the capital is Paris, France")).toMatchObject({ agree: true, method: "overlap" });
    expect(answersAgree("B", "C")).toMatchObject({ agree: false });
  });
});

describe("ThresholdRecalibrator", () => {
  const settings = { targetQuality: 0.9, minSamples: 5, maxStep: 0.05 };

  it("does not move before minSamples, then moves by at most maxStep", () => {
    const r = new ThresholdRecalibrator(settings);
    for (let i = 0; i < 4; i++) expect(r.record("small.0", false, 0.6)).toMatchObject({ threshold: 0.6, updated: false });
    const fifth = r.record("small.0", false, 0.6);
    expect(fifth.updated).toBe(true);
    expect(fifth.agreement).toBe(0);
    expect(fifth.threshold).toBeCloseTo(0.65, 10);
    // The window restarted: the next change waits for minSamples more.
    for (let i = 0; i < 4; i++) expect(r.record("small.0", false, 0.6).threshold).toBeCloseTo(0.65, 10);
    expect(r.record("small.0", false, 0.6).threshold).toBeCloseTo(0.7, 10);
  });

  it("lowers an over-strict threshold by the gap when it is under maxStep, and holds inside the deadband", () => {
    const r = new ThresholdRecalibrator({ ...settings, targetQuality: 0.97, maxStep: 0.2 });
    for (let i = 0; i < 5; i++) r.record("small.all", true, 0.8);
    expect(r.threshold("small.all")).toBeCloseTo(0.77, 10);
    const held = new ThresholdRecalibrator({ ...settings, targetQuality: 0.8 });
    for (const agree of [true, true, true, true, false]) held.record("k", agree, 0.5);
    expect(held.threshold("k")).toBe(0.5);
  });

  it("keeps thresholds within 0..1 and keys apart", () => {
    const r = new ThresholdRecalibrator({ targetQuality: 1, minSamples: 1, maxStep: 1 });
    r.record("a.1", false, 0.9);
    expect(r.threshold("a.1")).toBe(1);
    expect(r.threshold("a.2")).toBeUndefined();
  });

  it("refuses settings it cannot honour", () => {
    const err = (() => {
      try {
        new ThresholdRecalibrator({ ...settings, minSamples: 0 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).code).toBe(ErrorCode.FAILED_PRECONDITION);
  });

  it("raises the threshold on replayed GSM8K answers where the small tier was wrong", () => {
    const ds = loadGsm8k();
    const [small, large] = ds.models as [string, string];
    const wrong = ds.rows.filter((r) => r.correct[small] === false && r.correct[large] === true).slice(0, 40);
    const right = ds.rows.filter((r) => r.correct[small] === true && r.correct[large] === true).slice(0, 40);
    const r = new ThresholdRecalibrator({ targetQuality: 0.85, minSamples: 20, maxStep: 0.05 });
    const key = thresholdKey("small", 0);
    const disagreeing = wrong.filter((row) => !answersAgree(row.response[small]!, row.response[large]!).agree).length;
    expect(disagreeing).toBeGreaterThanOrEqual(38);
    let moves = 0;
    for (const [i, row] of wrong.entries()) {
      const res = r.record(key, answersAgree(row.response[small]!, row.response[large]!).agree, 0.6);
      if (i < 19) expect(res.updated).toBe(false);
      if (res.updated) moves++;
    }
    expect(moves).toBe(2);
    expect(r.threshold(key)).toBeCloseTo(0.7, 10);
    // Back to answers the large tier agrees with: the threshold does not rise further.
    for (const row of right) r.record(key, answersAgree(row.response[small]!, row.response[large]!).agree, 0.6);
    expect(r.threshold(key)!).toBeLessThanOrEqual(0.7 + 1e-12);
  });
});

describe("L5 signals", () => {
  it("novelty is the cosine distance to the nearest centroid", () => {
    const centroids = [
      [1, 0],
      [0, 1],
    ];
    expect(noveltyOf([0, 2], centroids)).toEqual({ cluster: 1, novelty: 0 });
    const diag = noveltyOf([1, 1], centroids);
    expect(diag.novelty).toBeCloseTo(1 - Math.SQRT1_2, 10);
    expect(noveltyOf([-1, -1], centroids).novelty).toBe(1);
  });

  it("high novelty raises the QE threshold, low novelty leaves it", () => {
    const rule = { above: 0.5, maxRaise: 0.2 };
    expect(noveltyAdjustedThreshold(0.6, 0.3, rule)).toBe(0.6);
    expect(noveltyAdjustedThreshold(0.6, 0.75, rule)).toBeCloseTo(0.7, 10);
    expect(noveltyAdjustedThreshold(0.95, 1, rule)).toBe(1);
  });

  it("drift is the total variation distance of the window's cluster mix from training's", () => {
    const d = new ClusterMixDrift([50, 50], 4);
    expect(d.observe(0)).toBeCloseTo(0.5, 10);
    expect(d.observe(1)).toBeCloseTo(0, 10);
    for (let i = 0; i < 4; i++) d.observe(1);
    expect(d.size).toBe(4);
    expect(d.drift()).toBeCloseTo(0.5, 10);
  });
});

describe("threshold overrides in plans", () => {
  it("the static ladder plans with the recalibrated <tier>.all threshold", () => {
    const table = new ThresholdOverrideTable();
    const router = new StaticLadderRouter({
      tiers: [
        { name: "small", qeThreshold: 0.6 },
        { name: "large", qeThreshold: 0.5 },
      ],
      thresholdOverrides: table,
    });
    expect(router.plan({ model: AUTO_MODEL }).steps[0]?.qeThreshold).toBe(0.6);
    table.set(thresholdKey("small"), "0.65");
    table.set(thresholdKey("large"), "not a number");
    expect(router.plan({ model: AUTO_MODEL }).steps.map((s) => s.qeThreshold)).toEqual([0.65, 0]);
    expect(table.threshold("small", 3)).toBe(0.65);
  });
});
