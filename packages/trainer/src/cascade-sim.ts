import type { PreparedData } from "./prepared-data.js";

/**
 * The cascade replayed from labels: a request that starts at tier s is
 * answered by s; while the QE probability of the current tier's recorded
 * answer is below that tier's threshold (and a stronger tier exists) it
 * escalates, paying for every tier it visits. The final tier always answers.
 */
export interface Outcome {
  readonly correct: number;
  /** USD. */
  readonly cost: number;
  /** The tier that answered. */
  readonly answeredBy: number;
}

/**
 * @param probs probs[i * T + t]: QE probability of tier t's answer to row i (ignored for the last tier).
 * @param thresholds per tier (the last is ignored).
 */
export function cascadeOutcome(d: PreparedData, i: number, start: number, probs: Float64Array, thresholds: readonly number[]): Outcome {
  const T = d.tiers.length;
  let cost = 0;
  for (let t = start; t < T; t++) {
    cost += d.costUsd[i * T + t]!;
    if (t === T - 1 || probs[i * T + t]! >= thresholds[t]!) return { correct: d.correct[i * T + t]!, cost, answeredBy: t };
  }
  // Unreachable: the loop returns at the last tier.
  return { correct: 0, cost, answeredBy: T - 1 };
}

/** Totals of a replayed cascade over a set of rows. */
export interface CascadeTotals {
  readonly n: number;
  readonly accuracy: number;
  /** Mean cost per request divided by the strongest tier's mean cost on the same rows. */
  readonly costRelative: number;
  readonly costUsd: number;
  /** Share of requests that reached (were generated on) each tier. */
  readonly reached: number[];
  /** Share of requests answered by each tier. */
  readonly answered: number[];
}

/** Replays the cascade for rows `rows` with a start tier per row. */
export function replay(
  d: PreparedData,
  rows: readonly number[],
  startOf: (i: number) => number,
  probs: Float64Array,
  thresholds: readonly number[] | ((i: number) => readonly number[]),
): CascadeTotals {
  const T = d.tiers.length;
  let correct = 0;
  let cost = 0;
  let strongest = 0;
  const reached = new Array<number>(T).fill(0);
  const answered = new Array<number>(T).fill(0);
  for (const i of rows) {
    const s = startOf(i);
    const o = cascadeOutcome(d, i, s, probs, typeof thresholds === "function" ? thresholds(i) : thresholds);
    correct += o.correct;
    cost += o.cost;
    strongest += d.costUsd[i * T + T - 1]!;
    for (let t = s; t <= o.answeredBy; t++) reached[t]! += 1;
    answered[o.answeredBy]! += 1;
  }
  const n = rows.length;
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    costRelative: strongest === 0 ? 0 : cost / strongest,
    costUsd: cost,
    reached: reached.map((x) => (n === 0 ? 0 : x / n)),
    answered: answered.map((x) => (n === 0 ? 0 : x / n)),
  };
}
