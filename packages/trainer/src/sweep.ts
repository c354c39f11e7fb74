import type { StartOption } from "@weir/routing";
import { cascadeOutcome } from "./cascade-sim.js";
import type { PreparedData } from "./prepared-data.js";

/**
 * One operating point of the cascade: thresholds per tier and the budget β.
 * Clusters whose training rows had answer text and clusters without it (the
 * QE reads only the question there) get their own thresholds: the two sets
 * of clusters add up independently, so both are swept.
 */
export interface SweepPoint {
  /** Thresholds for clusters with answer text (one per tier; the last is ignored). */
  readonly thresholds: number[];
  /** Thresholds for clusters without answer text. */
  readonly thresholdsWithoutText: number[];
  readonly beta: number;
  readonly accuracy: number;
  /** Cost relative to always using the strongest tier. */
  readonly costRelative: number;
  /** Share of requests that reach each tier. */
  readonly reached: number[];
}

export interface SweepGrid {
  /** Threshold vectors (one number per tier; the last is ignored). */
  readonly taus: readonly (readonly number[])[];
  readonly betas: readonly number[];
}

/** Sums over one regime's rows at one (τ, β). */
interface Sums {
  readonly tau: readonly number[];
  readonly beta: number;
  readonly n: number;
  readonly correct: number;
  readonly cost: number;
  readonly reached: number[];
}

/** Cascade outcomes of every row for every start tier at thresholds τ. */
function outcomes(d: PreparedData, probs: Float64Array, tau: readonly number[]): { acc: Float64Array; cost: Float64Array; last: Int32Array } {
  const T = d.tiers.length;
  const acc = new Float64Array(d.n * T);
  const cost = new Float64Array(d.n * T);
  const last = new Int32Array(d.n * T);
  for (let i = 0; i < d.n; i++) {
    for (let s = 0; s < T; s++) {
      const o = cascadeOutcome(d, i, s, probs, tau);
      acc[i * T + s] = o.correct;
      cost[i * T + s] = o.cost;
      last[i * T + s] = o.answeredBy;
    }
  }
  return { acc, cost, last };
}

/**
 * Per cluster, the cascade's expected accuracy and normalised cost for each
 * start tier at thresholds τ (`tauOf(cluster)`), estimated on `rows` and
 * shrunk towards the all-rows average by `priorWeight` pseudo-rows (small
 * clusters are noisy).
 */
export function startOptions(
  d: PreparedData,
  rows: readonly number[],
  assign: Int32Array,
  k: number,
  probs: Float64Array,
  tauOf: (cluster: number) => readonly number[],
  priorWeight: number,
  costUnitUsd: number,
): StartOption[][] {
  const T = d.tiers.length;
  const acc = new Float64Array(k * T);
  const cost = new Float64Array(k * T);
  const size = new Float64Array(k);
  const gAcc = new Array<number>(T).fill(0);
  const gCost = new Array<number>(T).fill(0);
  for (const i of rows) {
    const c = assign[i]!;
    size[c]! += 1;
    for (let s = 0; s < T; s++) {
      const o = cascadeOutcome(d, i, s, probs, tauOf(c));
      acc[c * T + s]! += o.correct;
      cost[c * T + s]! += o.cost / costUnitUsd;
      gAcc[s]! += o.correct / rows.length;
      gCost[s]! += o.cost / costUnitUsd / rows.length;
    }
  }
  return Array.from({ length: k }, (_, c) =>
    d.tiers.map((tier, s) => ({
      tier: tier.name,
      accuracy: round((acc[c * T + s]! + priorWeight * gAcc[s]!) / (size[c]! + priorWeight)),
      cost: round((cost[c * T + s]! + priorWeight * gCost[s]!) / (size[c]! + priorWeight)),
    })),
  );
}

export interface CrossFitSweepInput {
  readonly d: PreparedData;
  readonly assign: Int32Array;
  readonly k: number;
  readonly folds: Int32Array;
  readonly foldCount: number;
  /** Cross-fitted QE probabilities (probs[i * T + t]). */
  readonly probs: Float64Array;
  readonly priorWeight: number;
  /** Per cluster: did its training rows have answer text (its thresholds regime). */
  readonly answerText: readonly boolean[];
  /** Start tiers allowed (default: all). [0] = always start cheapest ("escalation only"). */
  readonly starts?: readonly number[];
}

/**
 * Sweeps (τ, β) on the training rows without letting a row judge itself:
 * the start tier of a row in fold f is chosen from its cluster's estimates on
 * the other folds; its QE probability is out-of-fold too. What this reports
 * is therefore a validation figure, the one k, β and τ are chosen on.
 */
export function sweepCrossFitted(inp: CrossFitSweepInput, grid: SweepGrid): SweepPoint[] {
  const { d, assign, k, folds, foldCount, probs, priorWeight } = inp;
  const T = d.tiers.length;
  const F = foldCount;
  const allowed = inp.starts ?? d.tiers.map((_, s) => s);
  let strongestCost = 0;
  for (let i = 0; i < d.n; i++) strongestCost += d.costUsd[i * T + T - 1]!;
  const unit = strongestCost / Math.max(1, d.n);
  const sums: Sums[][] = [[], []];
  for (const tau of grid.taus) {
    const o = outcomes(d, probs, tau);
    // Sums per (cluster, fold, start) and per (cluster, start).
    const accCF = new Float64Array(k * F * T);
    const costCF = new Float64Array(k * F * T);
    const nCF = new Float64Array(k * F);
    const accC = new Float64Array(k * T);
    const costC = new Float64Array(k * T);
    const nC = new Float64Array(k);
    const gAcc = new Array<number>(T).fill(0);
    const gCost = new Array<number>(T).fill(0);
    for (let i = 0; i < d.n; i++) {
      const c = assign[i]!;
      const f = folds[i]!;
      nCF[c * F + f]! += 1;
      nC[c]! += 1;
      for (let s = 0; s < T; s++) {
        const a = o.acc[i * T + s]!;
        const cu = o.cost[i * T + s]! / unit;
        accCF[(c * F + f) * T + s]! += a;
        costCF[(c * F + f) * T + s]! += cu;
        accC[c * T + s]! += a;
        costC[c * T + s]! += cu;
        gAcc[s]! += a / d.n;
        gCost[s]! += cu / d.n;
      }
    }
    for (const beta of grid.betas) {
      const acc = [newSums(tau, beta, T), newSums(tau, beta, T)];
      for (let i = 0; i < d.n; i++) {
        const c = assign[i]!;
        const f = folds[i]!;
        const nEx = nC[c]! - nCF[c * F + f]!;
        let best = allowed[0]!;
        let bestU = -Infinity;
        let bestCost = Infinity;
        for (const s of allowed) {
          const a = (accC[c * T + s]! - accCF[(c * F + f) * T + s]! + priorWeight * gAcc[s]!) / (nEx + priorWeight);
          const cu = (costC[c * T + s]! - costCF[(c * F + f) * T + s]! + priorWeight * gCost[s]!) / (nEx + priorWeight);
          const u = a - beta * cu;
          if (u > bestU + 1e-12 || (Math.abs(u - bestU) <= 1e-12 && cu < bestCost)) {
            best = s;
            bestU = u;
            bestCost = cu;
          }
        }
        add(acc[inp.answerText[c] ? 0 : 1]!, o, i, best, T);
      }
      sums[0]!.push(acc[0]!);
      sums[1]!.push(acc[1]!);
    }
  }
  return combine(sums, strongestCost);
}

/**
 * Sweeps (τ, β) on held-out rows with start options estimated on the
 * training rows (`optionsFor(τ)`), a cluster per held-out row, and QE
 * probabilities from the final model: the test-set frontier.
 */
export function sweepHeldOut(
  d: PreparedData,
  clusterOf: Int32Array,
  probs: Float64Array,
  answerText: readonly boolean[],
  optionsFor: (tau: readonly number[]) => StartOption[][],
  grid: SweepGrid,
  starts?: readonly number[],
): SweepPoint[] {
  const T = d.tiers.length;
  let strongestCost = 0;
  for (let i = 0; i < d.n; i++) strongestCost += d.costUsd[i * T + T - 1]!;
  const allowed = starts ?? d.tiers.map((_, s) => s);
  const sums: Sums[][] = [[], []];
  for (const tau of grid.taus) {
    const options = optionsFor(tau);
    const o = outcomes(d, probs, tau);
    for (const beta of grid.betas) {
      const startOfCluster = options.map((opts) => {
        let best = allowed[0]!;
        let bestU = -Infinity;
        for (const s of allowed) {
          const u = opts[s]!.accuracy - beta * opts[s]!.cost;
          if (u > bestU + 1e-12 || (Math.abs(u - bestU) <= 1e-12 && opts[s]!.cost < opts[best]!.cost)) {
            best = s;
            bestU = u;
          }
        }
        return best;
      });
      const acc = [newSums(tau, beta, T), newSums(tau, beta, T)];
      for (let i = 0; i < d.n; i++) {
        const c = clusterOf[i]!;
        add(acc[answerText[c] ? 0 : 1]!, o, i, startOfCluster[c]!, T);
      }
      sums[0]!.push(acc[0]!);
      sums[1]!.push(acc[1]!);
    }
  }
  return combine(sums, strongestCost);
}

function newSums(tau: readonly number[], beta: number, T: number): Sums {
  return { tau, beta, n: 0, correct: 0, cost: 0, reached: new Array<number>(T).fill(0) };
}

function add(sums: Sums, o: { acc: Float64Array; cost: Float64Array; last: Int32Array }, i: number, s: number, T: number): void {
  const m = sums as { n: number; correct: number; cost: number; reached: number[] };
  m.n += 1;
  m.correct += o.acc[i * T + s]!;
  m.cost += o.cost[i * T + s]!;
  for (let t = s; t <= o.last[i * T + s]!; t++) m.reached[t]! += 1;
}

/**
 * Operating points from the two regimes' sums: every pair of thresholds
 * (one per regime) at the same β, or one regime's thresholds when the other
 * has no rows.
 */
function combine(sums: Sums[][], strongestCost: number): SweepPoint[] {
  const [text, noText] = [sums[0]!, sums[1]!];
  const hasText = text.some((x) => x.n > 0);
  const hasNoText = noText.some((x) => x.n > 0);
  const point = (a: Sums | undefined, b: Sums | undefined, tauA: readonly number[], tauB: readonly number[], beta: number): SweepPoint => {
    const n = (a?.n ?? 0) + (b?.n ?? 0);
    const reached = (a ?? b)!.reached.map((_, t) => ((a?.reached[t] ?? 0) + (b?.reached[t] ?? 0)) / Math.max(1, n));
    return {
      thresholds: [...tauA],
      thresholdsWithoutText: [...tauB],
      beta,
      accuracy: ((a?.correct ?? 0) + (b?.correct ?? 0)) / Math.max(1, n),
      costRelative: ((a?.cost ?? 0) + (b?.cost ?? 0)) / (strongestCost || 1),
      reached,
    };
  };
  if (!(hasText && hasNoText)) {
    const only = hasText ? text : noText;
    return only.map((x) => point(x, undefined, x.tau, x.tau, x.beta));
  }
  const out: SweepPoint[] = [];
  const byBeta = new Map<number, { a: Sums[]; b: Sums[] }>();
  text.forEach((x, j) => {
    const e = byBeta.get(x.beta) ?? { a: [], b: [] };
    e.a.push(x);
    e.b.push(noText[j]!);
    byBeta.set(x.beta, e);
  });
  for (const [beta, { a, b }] of byBeta) for (const x of a) for (const y of b) out.push(point(x, y, x.tau, y.tau, beta));
  return out;
}

/**
 * The operating point: the cheapest point whose accuracy is at least
 * `target` × the strongest tier's accuracy (ties: more accurate); when none
 * reaches it, the most accurate point (ties: cheaper).
 */
export function choosePoint(points: readonly SweepPoint[], strongestAccuracy: number, target: number): { point: SweepPoint; met: boolean } {
  const goal = target * strongestAccuracy - 1e-12;
  const ok = points.filter((p) => p.accuracy >= goal);
  const byCost = (a: SweepPoint, b: SweepPoint): number => a.costRelative - b.costRelative || b.accuracy - a.accuracy;
  if (ok.length > 0) return { point: [...ok].sort(byCost)[0]!, met: true };
  const byAcc = (a: SweepPoint, b: SweepPoint): number => b.accuracy - a.accuracy || a.costRelative - b.costRelative;
  return { point: [...points].sort(byAcc)[0]!, met: false };
}

/** The points no other point beats on both accuracy and cost, cheapest first. */
export function paretoFrontier(points: readonly SweepPoint[]): SweepPoint[] {
  const sorted = [...points].sort((a, b) => a.costRelative - b.costRelative || b.accuracy - a.accuracy);
  const out: SweepPoint[] = [];
  let bestAcc = -Infinity;
  for (const p of sorted) {
    if (p.accuracy > bestAcc + 1e-12) {
      out.push(p);
      bestAcc = p.accuracy;
    }
  }
  return out;
}

/** Threshold vectors for T tiers: a fine grid for one judged tier, a coarser product for more. */
export function thresholdGrid(T: number): number[][] {
  const judged = T - 1;
  if (judged <= 0) return [[0]];
  const step = judged === 1 ? 0.02 : judged === 2 ? 0.1 : 0.2;
  const values: number[] = [];
  for (let v = 0; v <= 1 + 1e-9; v += step) values.push(round(v));
  let out: number[][] = [[]];
  for (let j = 0; j < judged; j++) out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  return out.map((v) => [...v, 0]);
}

/** β from 0 (quality at any price) up to where only the cheapest tier is worth it. */
export function betaGrid(): number[] {
  const out = [0];
  for (let e = -3; e <= 1.5 + 1e-9; e += 0.125) out.push(round(10 ** e, 6));
  out.push(1000);
  return out;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
