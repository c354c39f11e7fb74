import { checkMath } from "./gsm8k-verifier.js";
import { fnv1a, mix32 } from "./hash.js";
import { parseNumber } from "./arithmetic.js";

/** Fixes the feature layout; stored in the artifact so serving computes exactly what training did. */
export interface QeFeatureSpec {
  /** Tier names, in ladder order (one-hot). */
  readonly tiers: readonly string[];
  /** Hashed word uni/bigrams of the response (0 disables them). */
  readonly hashDims: number;
  readonly seed: number;
}

/** One (request, response, tier) to score. */
export interface QeInput {
  /** The user's question (queryText). */
  readonly prompt: string;
  /** The tier's answer; ignored when `answerText` is false. */
  readonly response: string;
  readonly tier: string;
  /** The tier's estimated accuracy on the request's cluster (from training). */
  readonly prior: number;
  /**
   * Whether the cluster's training data had answer text. When false (MMLU:
   * correctness only) every response feature is zero in training and in
   * serving alike: the QE can then only judge the question, not the answer.
   */
  readonly answerText: boolean;
}

const HEDGE = /\b(i'?m not sure|not sure|i don'?t know|cannot be determined|can'?t be determined|not possible to|impossible to (?:determine|say)|not enough information|insufficient information|assum(?:e|ing)|approximately|unclear|however)\b/i;
const PROMPT_NUMBER = /\d[\d,]*(?:\.\d+)?/g;
const CHOICE_LINE = /\n[A-D]\.\s/;

const DENSE = [
  "prior_logit",
  "prompt_log_chars",
  "prompt_numbers_log",
  "prompt_multiple_choice",
  "answer_text",
  "resp_empty",
  "resp_log_chars",
  "resp_lines_log",
  "final_marked",
  "final_found",
  "final_non_integer",
  "final_negative",
  "final_conflicting",
  "final_is_last_result",
  "eq_checked_log",
  "eq_wrong",
  "eq_any_wrong",
  "eq_wrong_share",
  "unclosed_annotation",
  "ends_cleanly",
  "hedge",
  "prompt_numbers_missing",
  "prompt_numbers_missing_share",
] as const;

/** Names of the features in order (written into the artifact beside the weights). */
export function qeFeatureNames(spec: QeFeatureSpec): string[] {
  return [
    ...spec.tiers.map((t) => `tier=${t}`),
    ...DENSE,
    ...Array.from({ length: spec.hashDims }, (_, i) => `resp_ngram_${i}`),
  ];
}

export function qeFeatureCount(spec: QeFeatureSpec): number {
  return spec.tiers.length + DENSE.length + spec.hashDims;
}

/**
 * The QE's features: cheap text statistics of prompt and response, format and
 * completeness checks, the GSM8K arithmetic verifier, hashed response n-grams
 * and the tier's prior accuracy on the cluster. All of it runs in tens of
 * microseconds. Trainer and judge both call this one function.
 */
export function qeFeatures(spec: QeFeatureSpec, input: QeInput, out: Float64Array = new Float64Array(qeFeatureCount(spec))): Float64Array {
  out.fill(0);
  let k = 0;
  const tierIdx = spec.tiers.indexOf(input.tier);
  if (tierIdx >= 0) out[tierIdx] = 1;
  k = spec.tiers.length;
  const set = (name: (typeof DENSE)[number], v: number): void => {
    out[k + DENSE.indexOf(name)] = v;
  };
  const p = Math.min(0.98, Math.max(0.02, input.prior));
  set("prior_logit", Math.log(p / (1 - p)));
  set("prompt_log_chars", Math.log1p(input.prompt.length));
  const promptNumbers = [...input.prompt.matchAll(PROMPT_NUMBER)].map((m) => parseNumber(m[0]));
  set("prompt_numbers_log", Math.log1p(promptNumbers.length));
  set("prompt_multiple_choice", CHOICE_LINE.test(input.prompt) ? 1 : 0);
  if (!input.answerText) return out;

  set("answer_text", 1);
  const r = input.response;
  const trimmed = r.trim();
  set("resp_empty", trimmed === "" ? 1 : 0);
  set("resp_log_chars", Math.log1p(trimmed.length));
  set("resp_lines_log", Math.log1p(trimmed === "" ? 0 : trimmed.split("\n").length));
  const m = checkMath(r);
  set("final_marked", m.finalMarked ? 1 : 0);
  set("final_found", m.finalAnswer === undefined ? 0 : 1);
  if (m.finalAnswer !== undefined) {
    set("final_non_integer", Number.isInteger(Math.round(m.finalAnswer * 1e6) / 1e6) ? 0 : 1);
    set("final_negative", m.finalAnswer < 0 ? 1 : 0);
    set("final_is_last_result", m.lastResult !== undefined && Math.abs(m.lastResult - m.finalAnswer) < 1e-6 ? 1 : 0);
  }
  set("final_conflicting", m.conflictingFinals ? 1 : 0);
  set("eq_checked_log", Math.log1p(m.checked));
  set("eq_wrong", Math.min(3, m.wrong));
  set("eq_any_wrong", m.wrong > 0 ? 1 : 0);
  set("eq_wrong_share", m.checked > 0 ? m.wrong / m.checked : 0);
  set("unclosed_annotation", m.unclosedAnnotation ? 1 : 0);
  set("ends_cleanly", /[.!?)\]"'*\d]$/.test(trimmed) ? 1 : 0);
  set("hedge", HEDGE.test(r) ? 1 : 0);
  if (promptNumbers.length > 0) {
    const said = new Set([...r.matchAll(PROMPT_NUMBER)].map((x) => parseNumber(x[0])));
    const missing = promptNumbers.filter((x) => !said.has(x)).length;
    set("prompt_numbers_missing", Math.min(3, missing));
    set("prompt_numbers_missing_share", missing / promptNumbers.length);
  }
  if (spec.hashDims > 0) hashNgrams(spec, r, out, k + DENSE.length);
  return out;
}

/** Word unigrams and bigrams of the response, hashed into hashDims slots, L2-normalised. */
function hashNgrams(spec: QeFeatureSpec, text: string, out: Float64Array, offset: number): void {
  const t = text.toLowerCase();
  let prev = 0;
  let total = 0;
  const re = /[a-z]+|\d+|[^\sa-z\d]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    // Numbers become one token: which numbers appear is the verifier's job.
    const h = /^\d/.test(m[0]) ? 0x2a : fnv1a(t, m.index, m.index + m[0].length, spec.seed >>> 0);
    out[offset + (mix32(h, 1) % spec.hashDims)]! += 1;
    if (prev !== 0) out[offset + (mix32(prev, h) % spec.hashDims)]! += 1;
    prev = h;
    total++;
  }
  if (total === 0) return;
  let s = 0;
  for (let i = 0; i < spec.hashDims; i++) {
    const v = Math.sqrt(out[offset + i]!);
    out[offset + i] = v;
    s += v * v;
  }
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < spec.hashDims; i++) out[offset + i]! *= inv;
}
