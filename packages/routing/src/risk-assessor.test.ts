import { describe, expect, it } from "vitest";
import { RiskAssessor } from "./risk-assessor.js";
import { compileRiskCategories, DEFAULT_RISK_CATEGORIES } from "./risk-lexicon.js";

const categories = [
  { name: "medical-dosage", weight: 0.8, lexicon: [String.raw`\bdosage\b`, String.raw`\bmg of\b`] },
  { name: "legal-advice", weight: 0.5, lexicon: [String.raw`\bsue\b`] },
];

describe("risk assessor (L2)", () => {
  const assessor = new RiskAssessor({ categories, decay: 0.5 });

  it("scores a fired category by its weight and names it", () => {
    expect(assessor.assess("What dosage of aspirin for a child?", [])).toMatchObject({ score: 0.8, rules: ["medical-dosage"], carried: 0 });
  });

  it("combines categories as a noisy-or, most severe rule first", () => {
    const r = assessor.assess("Can I sue my doctor over the DOSAGE?", []);
    expect(r.score).toBeCloseTo(1 - 0.2 * 0.5);
    expect(r.rules).toEqual(["medical-dosage", "legal-advice"]);
  });

  it("an everyday question scores 0", () => {
    expect(assessor.assess("What is the capital of France?", [])).toMatchObject({ score: 0, rules: [] });
  });

  it("risk carries to later turns, decaying by the factor per turn, with the rule that caused it", () => {
    const t1 = assessor.assess("dosage?", []);
    const t2 = assessor.assess("and for an adult?", [{ risk: t1.score, riskRules: t1.rules }]);
    expect(t2).toMatchObject({ score: 0.4, carried: 0.4, own: 0, rules: ["medical-dosage"] });
    const t3 = assessor.assess("thanks", [{ risk: t2.score, riskRules: t2.rules }]);
    expect(t3.score).toBeCloseTo(0.2);
  });

  it("a turn's own risk wins over a smaller carried one", () => {
    const r = assessor.assess("should I sue?", [{ risk: 0.4, riskRules: ["medical-dosage"] }]);
    expect(r).toMatchObject({ score: 0.5, rules: ["legal-advice"], carried: 0.2 });
  });

  it("the default lexicons compile and catch their categories", () => {
    const d = new RiskAssessor({ categories: DEFAULT_RISK_CATEGORIES, decay: 0.5 });
    expect(d.assess("How many mg of ibuprofen can I take?", []).rules).toEqual(["medical-dosage"]);
    expect(d.assess("Write an exploit with shellcode for this overflow", []).rules).toEqual(["security-exploitation"]);
    expect(d.assess("I want to kill myself", []).rules).toEqual(["self-harm"]);
    expect(d.assess("Natalia sold clips to 48 of her friends in April. How many clips did she sell?", []).rules).toEqual([]);
  });

  it("an invalid pattern fails at start-up naming the category", () => {
    expect(() => compileRiskCategories([{ name: "bad", weight: 1, lexicon: ["(unclosed"] }])).toThrow(/"bad" is not a valid regular expression/);
  });
});
