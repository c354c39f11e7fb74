import { describe, expect, it } from "vitest";
import { evaluateArithmetic } from "./arithmetic.js";
import { checkMath } from "./gsm8k-verifier.js";

describe("checkMath (GSM8K arithmetic verifier)", () => {
  it("catches a wrong inline equality: 3 x 60 = 190", () => {
    const m = checkMath("He runs 3 x 60 = 190 meters a session.\n#### 190");
    expect(m.checked).toBe(1);
    expect(m.wrong).toBe(1);
    expect(m.wrongExamples[0]).toBe("3 x 60 = 190");
  });

  it("checks calculator annotations and inline text once each", () => {
    const right = " So in one session, he runs 3 x 60 = <<3*60=180>>180 meters.\nIn a week 180 x 3 = <<180*3=540>>540 meters.\n#### 540\n";
    const m = checkMath(right);
    expect(m.checked).toBe(4);
    expect(m.wrong).toBe(0);
    expect(m.finalAnswer).toBe(540);
    expect(m.finalMarked).toBe(true);
    expect(m.lastResult).toBe(540);
    expect(checkMath("that is <<3*60=190>>190").wrong).toBe(1);
  });

  it("reads money, commas, percentages, parentheses and rounding", () => {
    expect(checkMath("$1,200 / 4 = $300").wrong).toBe(0);
    expect(checkMath("20% * 50 = 10").wrong).toBe(0);
    expect(checkMath("(15 + 25) * 2 = 80").wrong).toBe(0);
    expect(checkMath("10 / 3 = 3.33").wrong).toBe(0);
    expect(checkMath("10 / 3 = 4").wrong).toBe(1);
  });

  it("notices a cut-off answer and conflicting final answers", () => {
    expect(checkMath("a total of 15 + 25 = <<15+2").unclosedAnnotation).toBe(true);
    expect(checkMath("#### 5\n#### 6").conflictingFinals).toBe(true);
    expect(checkMath("The answer is 42.").finalAnswer).toBe(42);
  });

  it("ignores what it cannot read instead of guessing", () => {
    expect(checkMath("x = 5 and 2x + 3 = 13").checked).toBe(0);
    expect(evaluateArithmetic("2 ** 3")).toBeUndefined();
    expect(evaluateArithmetic("-(2 + 3) * 4")).toBe(-20);
  });
});
