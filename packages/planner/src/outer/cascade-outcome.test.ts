import { describe, expect, it } from "vitest";
import { tinyCascade } from "../test-support/tiny-cascade.js";
import { defaultKnobs, distinctBetas, spreadPick } from "./cascade-knob.js";
import { cascadeOutcome } from "./cascade-outcome.js";

describe("cascadeOutcome", () => {
  it("starts every row on the large tier at β = 0 and on the small one at β = 1", () => {
    const strong = cascadeOutcome(tinyCascade(), { beta: 0, thresholdShift: 0 });
    expect(strong.paths).toEqual([[1], [1], [1], [1]]);
    expect(strong.quality).toBe(1);
    expect(strong.reached).toEqual([0, 1]);

    const cheap = cascadeOutcome(tinyCascade(), { beta: 1, thresholdShift: 0 });
    expect(cheap.paths).toEqual([[0], [0], [0], [0]]);
    expect(cheap.accuracy).toBe(0.75);
    expect(cheap.quality).toBe(0.75);
  });

  it("escalates every row through both tiers when the shifted threshold exceeds the QE score", () => {
    const out = cascadeOutcome(tinyCascade(), { beta: 1, thresholdShift: 0.45 });
    expect(out.paths).toEqual([[0, 1], [0, 1], [0, 1], [0, 1]]);
    expect(out.quality).toBe(1);
    expect(out.reached).toEqual([1, 1]);
  });

  it("escalates only the rows whose QE score is below the threshold", () => {
    const c = tinyCascade();
    c.probs[3 * 2] = 0.2; // row 3, the small tier's wrong answer, now scores low
    const out = cascadeOutcome(c, { beta: 1, thresholdShift: 0 });
    expect(out.paths).toEqual([[0], [0], [0], [0, 1]]);
    expect(out.quality).toBe(1);
  });
});

describe("single-tier knobs", () => {
  it("serve every row on one tier, whatever β and the thresholds say", () => {
    const c = tinyCascade();
    c.starts[0] = [{ tier: "small", accuracy: 1, cost: 0.1 }, { tier: "large", accuracy: 0.9, cost: 1 }];
    // At β = 0 cluster 0 now starts on small: β alone cannot give "large only".
    expect(cascadeOutcome(c, { beta: 0, thresholdShift: 0 }).paths[0]).toEqual([0]);
    const large = cascadeOutcome(c, { beta: 0, thresholdShift: 0, onlyTier: 1 });
    expect(large.paths).toEqual([[1], [1], [1], [1]]);
    expect(large.quality).toBe(1);
    const small = cascadeOutcome(c, { beta: 0, thresholdShift: 0.45, onlyTier: 0 });
    expect(small.paths).toEqual([[0], [0], [0], [0]]);
    expect(small.quality).toBe(0.75);
    expect(() => cascadeOutcome(c, { beta: 0, thresholdShift: 0, onlyTier: 2 })).toThrow(/not a tier index/);
  });
});

describe("the knob grid", () => {
  it("puts one β on each side of every cluster's breakpoint", () => {
    const betas = distinctBetas(tinyCascade());
    expect(betas).toHaveLength(2);
    expect(betas[0]).toBe(0);
    expect(betas[1]).toBeGreaterThan(0.25 / 0.9);
    const starts = betas.map((beta) => cascadeOutcome(tinyCascade(), { beta, thresholdShift: 0 }).paths[0]![0]);
    expect(starts).toEqual([1, 0]);
  });

  it("adds the artifact's β and crosses βs with threshold shifts", () => {
    const knobs = defaultKnobs(tinyCascade(), { thresholdShifts: [0, 0.1] });
    expect(knobs.map((k) => k.beta)).toContain(0.5);
    expect(knobs).toHaveLength(3 * 2 + 2);
    expect(knobs.slice(-2).map((k) => k.onlyTier)).toEqual([0, 1]);
  });

  it("spreads a pick over the range, keeping both ends", () => {
    expect(spreadPick([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
    expect(spreadPick([1, 2], 5)).toEqual([1, 2]);
  });
});
