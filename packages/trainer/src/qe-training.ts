import {
  applyIsotonic,
  type IsotonicCalibration,
  type LogisticModel,
  type QeFeatureSpec,
  fitIsotonic,
  fitLogistic,
  logLoss,
  predictLogistic,
  qeFeatureCount,
  qeFeatureNames,
  qeFeatures,
} from "@weir/routing";
import type { PreparedData } from "./prepared-data.js";

/**
 * The QE's feature rows for every (row, non-final tier), computed once with
 * and once without answer text; the prior column is filled in per use.
 */
export interface QeFeatureBank {
  readonly spec: QeFeatureSpec;
  readonly dims: number;
  readonly priorColumn: number;
  /** withText[(i * J + t) * dims + j], J = T − 1 judged tiers. */
  readonly withText: Float64Array;
  readonly withoutText: Float64Array;
}

export function buildFeatureBank(d: PreparedData, spec: QeFeatureSpec): QeFeatureBank {
  const T = d.tiers.length;
  const J = T - 1;
  const dims = qeFeatureCount(spec);
  const withText = new Float64Array(d.n * J * dims);
  const withoutText = new Float64Array(d.n * J * dims);
  for (let i = 0; i < d.n; i++) {
    for (let t = 0; t < J; t++) {
      const base = { prompt: d.prompts[i]!, response: d.responses[i * T + t]!, tier: d.tiers[t]!.name, prior: 0.5 };
      withText.set(qeFeatures(spec, { ...base, answerText: d.hasText[i] === 1 }), (i * J + t) * dims);
      withoutText.set(qeFeatures(spec, { ...base, answerText: false }), (i * J + t) * dims);
    }
  }
  return { spec, dims, priorColumn: qeFeatureNames(spec).indexOf("prior_logit"), withText, withoutText };
}

/** Design matrix for (row, tier) pairs, with each pair's prior and answer-text choice. */
function design(
  bank: QeFeatureBank,
  J: number,
  pairs: readonly (readonly [number, number])[],
  priorOf: (i: number, t: number) => number,
  textOf: (i: number) => boolean,
): Float64Array {
  const dims = bank.dims;
  const x = new Float64Array(pairs.length * dims);
  pairs.forEach(([i, t], r) => {
    const src = textOf(i) ? bank.withText : bank.withoutText;
    const off = (i * J + t) * dims;
    x.set(src.subarray(off, off + dims), r * dims);
    const p = Math.min(0.98, Math.max(0.02, priorOf(i, t)));
    x[r * dims + bank.priorColumn] = Math.log(p / (1 - p));
  });
  return x;
}

export interface QeFit {
  readonly model: LogisticModel;
  readonly l2: number;
  readonly calibration: IsotonicCalibration;
  /** Cross-fitted raw and calibrated scores, probs[i * T + t] (last tier: 1). */
  readonly rawOOF: Float64Array;
  readonly probOOF: Float64Array;
  readonly oofLogLoss: Record<string, number>;
}

export interface QeTrainOptions {
  readonly folds: Int32Array;
  readonly foldCount: number;
  /** Cross-fitted prior of tier t for row i (its cluster's accuracy from the other folds). */
  readonly priorOOF: (i: number, t: number) => number;
  readonly answerText: (i: number) => boolean;
  readonly l2Grid: readonly number[];
  readonly minCalibrationBlock: number;
}

/**
 * Trains the QE: for each L2 strength, cross-fitted logistic models give
 * out-of-fold scores; the strength with the best out-of-fold log loss wins;
 * isotonic regression on its out-of-fold scores is the calibration; the
 * final model is refitted on every row. Calibrating on out-of-fold scores is
 * what makes the probabilities honest for rows the model has not seen.
 */
export function trainQe(d: PreparedData, bank: QeFeatureBank, o: QeTrainOptions): QeFit {
  const T = d.tiers.length;
  const J = T - 1;
  const pairs: [number, number][] = [];
  for (let i = 0; i < d.n; i++) for (let t = 0; t < J; t++) pairs.push([i, t]);
  const labels = Float64Array.from(pairs, ([i, t]) => d.correct[i * T + t]!);
  const x = design(bank, J, pairs, o.priorOOF, o.answerText);
  const dims = bank.dims;

  let best: { l2: number; raw: Float64Array; loss: number } | undefined;
  const oofLogLoss: Record<string, number> = {};
  for (const l2 of o.l2Grid) {
    const raw = new Float64Array(pairs.length);
    for (let f = 0; f < o.foldCount; f++) {
      const trainIdx: number[] = [];
      const testIdx: number[] = [];
      pairs.forEach(([i], r) => (o.folds[i] === f ? testIdx : trainIdx).push(r));
      if (testIdx.length === 0) continue;
      const m = fitLogistic(gather(x, dims, trainIdx), dims, trainIdx.map((r) => labels[r]!), { l2 });
      for (const r of testIdx) raw[r] = predictLogistic(m, x.subarray(r * dims, r * dims + dims));
    }
    const loss = logLoss(raw, labels);
    oofLogLoss[String(l2)] = Number(loss.toFixed(5));
    if (best === undefined || loss < best.loss) best = { l2, raw, loss };
  }
  if (best === undefined) throw new Error("trainQe needs at least one L2 strength");
  const calibration = fitIsotonic(best.raw, labels, o.minCalibrationBlock);
  const model = fitLogistic(x, dims, labels, { l2: best.l2 });
  const rawOOF = new Float64Array(d.n * T).fill(1);
  const probOOF = new Float64Array(d.n * T).fill(1);
  pairs.forEach(([i, t], r) => {
    rawOOF[i * T + t] = best.raw[r]!;
  });
  for (let i = 0; i < d.n; i++) for (let t = 0; t < J; t++) probOOF[i * T + t] = applyIsotonic(calibration, rawOOF[i * T + t]!);
  return { model, l2: best.l2, calibration, rawOOF, probOOF, oofLogLoss };
}

function gather(x: Float64Array, dims: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * dims);
  rows.forEach((r, j) => out.set(x.subarray(r * dims, r * dims + dims), j * dims));
  return out;
}
