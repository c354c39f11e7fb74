import { describe, expect, it } from "vitest";
import { qeFeatureCount, qeFeatureNames, qeFeatures } from "./qe-features.js";
import { lastUserTurn, queryText } from "./query-text.js";

const spec = { tiers: ["small", "large"], hashDims: 16, seed: 3 };
const at = (x: Float64Array, name: string): number => x[qeFeatureNames(spec).indexOf(name)]!;

describe("qeFeatures", () => {
  it("has one named value per feature", () => {
    expect(qeFeatureNames(spec).length).toBe(qeFeatureCount(spec));
    expect(qeFeatures(spec, { prompt: "q", response: "a", tier: "small", prior: 0.5, answerText: true }).length).toBe(qeFeatureCount(spec));
  });

  it("reads format, verifier and hedges from the answer", () => {
    const x = qeFeatures(spec, {
      prompt: "Tom has 4 boxes of 6 apples. How many apples?",
      response: "4 x 6 = 25. I'm not sure.\n#### 25.5",
      tier: "small",
      prior: 0.8,
      answerText: true,
    });
    expect(at(x, "tier=small")).toBe(1);
    expect(at(x, "prior_logit")).toBeCloseTo(Math.log(4));
    expect(at(x, "eq_wrong")).toBe(1);
    expect(at(x, "final_marked")).toBe(1);
    expect(at(x, "final_non_integer")).toBe(1);
    expect(at(x, "hedge")).toBe(1);
  });

  it("zeroes every answer feature without answer text (same in training and serving)", () => {
    const a = qeFeatures(spec, { prompt: "Which? A. x B. y", response: "lots of text 1 + 1 = 3", tier: "small", prior: 0.5, answerText: false });
    const b = qeFeatures(spec, { prompt: "Which? A. x B. y", response: "", tier: "small", prior: 0.5, answerText: false });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(at(a, "answer_text")).toBe(0);
  });
});

describe("queryText", () => {
  it("takes the last user message, or undoes flattenMessages", () => {
    expect(queryText([{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }], "")).toBe("c");
    expect(lastUserTurn("<|system|>\ns\n<|user|>\nline1\nline2\n<|assistant|>\nx\n")).toBe("line1\nline2");
    expect(lastUserTurn("plain prompt")).toBe("plain prompt");
  });
});
