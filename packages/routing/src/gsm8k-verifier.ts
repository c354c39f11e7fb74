import { evaluateArithmetic, parseNumber } from "./arithmetic.js";

/** What the verifier found in a worked math answer. */
export interface MathCheck {
  /** Equalities it could evaluate. */
  readonly checked: number;
  /** Of those, the ones whose left side does not equal the right side. */
  readonly wrong: number;
  /** The first few wrong equalities, as written (for reasons and debugging). */
  readonly wrongExamples: string[];
  /** The final answer (after "####", "answer is", or the last number), if any. */
  readonly finalAnswer: number | undefined;
  /** True when the final answer follows an explicit marker ("####" or "the answer is"). */
  readonly finalMarked: boolean;
  /** Explicitly marked final answers that disagree with each other. */
  readonly conflictingFinals: boolean;
  /** The answer opens a calculator annotation "<<" it never closes: it was cut off. */
  readonly unclosedAnnotation: boolean;
  /** The right side of the last checked equality, if any (the last computed result). */
  readonly lastResult: number | undefined;
}

const NUM = String.raw`\$?\d[\d,]*(?:\.\d+)?%?`;
// "<<3*60=180>>": GSM8K's calculator annotations.
const ANNOTATION = /<<([^<>=]+)=([^<>]+)>>/g;
// "3 x 60 = 180", "(15 + 25) * 2 = 80", "$12 / 4 = $3": at least one operator on the left.
const INLINE = new RegExp(
  String.raw`((?:\(\s*)*${NUM}(?:\s*\))*(?:\s*[-+*/x×÷]\s*(?:\(\s*)*${NUM}(?:\s*\))*)+)\s*=\s*(-?${NUM})`,
  "g",
);
const MARKED_FINAL = /####\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/g;
const ANSWER_IS = /answer is[:\s]*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/gi;
const ANY_NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;

/**
 * Re-checks the arithmetic of a worked math answer (GSM8K style): both the
 * calculator annotations `<<3*60=180>>` and inline equalities `3 x 60 = 180`,
 * and reads the final answer. A model that writes `3 x 60 = 190` is wrong no
 * matter how confident it sounds; a cheap, exact signal the QE learns from.
 */
export function checkMath(answer: string): MathCheck {
  let checked = 0;
  let wrong = 0;
  let lastResult: number | undefined;
  const wrongExamples: string[] = [];
  const judge = (lhs: string, rhs: string, raw: string): void => {
    const ok = equalityHolds(lhs, rhs);
    if (ok === undefined) return;
    checked++;
    lastResult = parseNumber(rhs.trim());
    if (!ok) {
      wrong++;
      if (wrongExamples.length < 3) wrongExamples.push(raw.trim());
    }
  };
  for (const m of answer.matchAll(ANNOTATION)) judge(m[1]!, m[2]!, m[0]);
  // Inline equalities are read with the annotations blanked out, so that
  // "3 x 60 = <<3*60=180>>180" is checked once as "3 x 60 = 180".
  const plain = answer.replace(ANNOTATION, " ");
  for (const m of plain.matchAll(INLINE)) judge(m[1]!, m[2]!, m[0]);

  const marked = [...answer.matchAll(MARKED_FINAL)].map((m) => parseNumber(m[1]!));
  const said = marked.length > 0 ? marked : [...answer.matchAll(ANSWER_IS)].map((m) => parseNumber(m[1]!));
  let finalAnswer: number | undefined = said.at(-1);
  if (finalAnswer === undefined) {
    const nums = [...plain.matchAll(ANY_NUMBER)];
    const lastNum = nums.at(-1);
    finalAnswer = lastNum === undefined ? undefined : parseNumber(lastNum[0]);
  }
  return {
    checked,
    wrong,
    wrongExamples,
    finalAnswer,
    finalMarked: said.length > 0,
    conflictingFinals: new Set(said).size > 1,
    unclosedAnnotation: /<<[^>]*$/.test(answer),
    lastResult,
  };
}

/** true / false when both sides evaluate, undefined when either cannot be read. */
function equalityHolds(lhs: string, rhs: string): boolean | undefined {
  const r = rhs.trim();
  if (!new RegExp(`^-?${NUM}$`).test(r)) return undefined;
  const left = evaluateArithmetic(lhs);
  if (left === undefined) return undefined;
  // "20% * 50 = 10" reads % as /100; "100% - 20% = 80%" too. Also accept the
  // literal reading ("20% of" written as 20 * 50 / 100 elsewhere).
  const right = parseNumber(r);
  if (close(left, right)) return true;
  const literalLeft = evaluateArithmetic(lhs.replace(/%/g, ""));
  const literalRight = Number(r.replace(/[$,%]/g, ""));
  return literalLeft !== undefined && close(literalLeft, literalRight);
}

/** Equal up to rounding a careful writer does (1%, or 0.01 absolute near zero). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.01 * Math.abs(b), 0.01);
}
