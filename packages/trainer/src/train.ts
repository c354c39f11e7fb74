import { splitDataset, type LabelledDataset } from "@weir/datasets";
import {
  DEFAULT_HASHED_TFIDF,
  type EmbedderSpec,
  type Embedder,
  HashedTfidfEmbedder,
  type HashedTfidfSettings,
  OpenAiEmbedder,
  type QeFeatureSpec,
  type RoutingArtifact,
  RoutingModel,
} from "@weir/routing";
import { countTokens } from "@weir/tokens";
import { buildArtifact } from "./build-artifact.js";
import { evaluateModel, scoreRows, type EvalReport } from "./evaluate.js";
import { fitK, type KFit } from "./fit-k.js";
import { assignFolds } from "./folds.js";
import { dataHash, prepareData, subset, tierAccuracy, type PreparedData } from "./prepared-data.js";
import { buildFeatureBank } from "./qe-training.js";
import { startOptions, sweepCrossFitted, sweepHeldOut, choosePoint, paretoFrontier, thresholdGrid, betaGrid, type SweepPoint } from "./sweep.js";
import { DEFAULT_TIER_MAP, ladderOrder, type TierMapEntry } from "./tier-map.js";

export type EmbedderChoice =
  | { readonly kind: "hashed-tfidf"; readonly settings?: Partial<HashedTfidfSettings> }
  | { readonly kind: "openai"; readonly baseUrl: string; readonly model: string; readonly apiKey?: string | undefined };

export interface TrainOptions {
  /** The labelled data (all of it: the held-out split is made here). */
  readonly dataset: LabelledDataset;
  readonly tiers?: readonly TierMapEntry[];
  readonly seed?: number;
  /** Share of rows held out for the test figures (default 0.2). */
  readonly testFraction?: number;
  /** Cross-fitting folds on the training rows: the validation data (default 5). */
  readonly folds?: number;
  /** Cluster counts to try (default 1, 2, 4, 8, 12, 16, 24, 32, 48, 64, capped at ~20 rows per cluster). */
  readonly kCandidates?: readonly number[];
  /** Accuracy to reach relative to the strongest tier, on validation (default 0.97). */
  readonly target?: number;
  readonly embedder?: EmbedderChoice;
  /** Hashed response n-gram slots of the QE (default 128; 0 when the data has no answer text). */
  readonly qeHashDims?: number;
  /** Pseudo-rows shrinking small clusters' accuracies to the overall one (default 10). */
  readonly priorWeight?: number;
  readonly l2Grid?: readonly number[];
  readonly countTokens?: (text: string) => number;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly now?: () => Date;
}

export interface TrainProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

/** One method's result on the held-out rows. */
export interface MethodResult {
  readonly method: string;
  readonly accuracy: number;
  readonly relativeAccuracy: number;
  /** Cost relative to always using the strongest tier. */
  readonly costRelative: number;
  /** Share of requests that never reach the strongest tier. */
  readonly neverStrongest: number;
  readonly settings: string;
}

export interface TrainReport {
  readonly dataset: string;
  readonly rows: { readonly train: number; readonly test: number };
  readonly tiers: readonly TierMapEntry[];
  readonly target: number;
  /** Per candidate k: inertia and the validation operating point. */
  readonly kSelection: { k: number; inertia: number; met: boolean; accuracy: number; relativeAccuracy: number; costRelative: number; qeL2: number }[];
  readonly chosen: {
    k: number;
    beta: number;
    thresholds: Record<string, number>;
    thresholdsWithoutText: Record<string, number>;
    validation: { accuracy: number; relativeAccuracy: number; costRelative: number; met: boolean };
  };
  /** The artifact replayed on the held-out rows (what weir eval prints). */
  readonly test: EvalReport;
  /** Methods at their validation-chosen operating points, on the held-out rows. */
  readonly methods: MethodResult[];
  /** Held-out frontiers over the sweep, for the plot. */
  readonly frontiers: Record<
    string,
    { costRelative: number; accuracy: number; neverStrongest: number; beta: number; thresholds: number[]; thresholdsWithoutText: number[] }[]
  >;
}

export interface TrainResult {
  readonly artifact: RoutingArtifact;
  readonly report: TrainReport;
}

const DEFAULT_K = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64];

/**
 * `weir train`: clusters, per-cluster tier accuracies, QE model and
 * calibration, operating point (β, thresholds) and its held-out evaluation
 * with baselines. Everything is chosen on cross-fitted validation folds of
 * the training split; the test split is only scored.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const seed = o.seed ?? 42;
  const testFraction = o.testFraction ?? 0.2;
  const F = o.folds ?? 5;
  const target = o.target ?? 0.97;
  const priorWeight = o.priorWeight ?? 10;
  const l2Grid = o.l2Grid ?? [0.003, 0.01, 0.03, 0.1, 0.3];
  const progress = o.onProgress ?? (() => undefined);
  const tiers = ladderOrder(o.tiers ?? DEFAULT_TIER_MAP);
  if (tiers.length < 2) throw new Error("a cascade needs at least two tiers: give two or more --tier");
  const tokens = o.countTokens ?? countTokens;

  const split = splitDataset(o.dataset, { seed, fractions: { train: 1 - testFraction, validation: 0, test: testFraction } });
  const all = prepareData({ ...o.dataset, rows: [...split.train.rows, ...split.test.rows] }, tiers, { countTokens: tokens });
  const nTrain = split.train.rows.length;
  const train = subset(all, range(0, nTrain));
  const test = subset(all, range(nTrain, all.n));
  if (train.n < 20 * F) throw new Error(`only ${train.n} training rows: give at least ${20 * F} labelled rows`);
  const T = tiers.length;

  progress({ stage: "embedding", done: 0, total: 1 });
  const embedder = await makeEmbedder(o.embedder, train.prompts);
  const trainVectors = await embedder.embed(train.prompts);
  const dims = embedder.dims;
  const embeddings = new Float32Array(train.n * dims);
  trainVectors.forEach((v, i) => embeddings.set(v, i * dims));
  progress({ stage: "embedding", done: 1, total: 1 });

  const folds = assignFolds(train.ids, F, seed);
  const strongestAccuracy = tierAccuracy(train, T - 1);
  // Hashed response n-grams help only with enough answers to learn them from:
  // their number is chosen on validation log loss (one cluster, so only the QE differs).
  const anyText = train.hasText.some((x) => x === 1);
  const hashCandidates = anyText ? (o.qeHashDims === undefined ? [0, 32, 128] : [o.qeHashDims]) : [0];
  const hashLoss: Record<string, number> = {};
  let features: QeFeatureSpec = { tiers: tiers.map((t) => t.name), hashDims: hashCandidates[0]!, seed };
  let bank = buildFeatureBank(train, features);
  if (hashCandidates.length > 1) {
    let bestLoss = Infinity;
    for (const hashDims of hashCandidates) {
      progress({ stage: `QE n-grams ${hashDims}`, done: 0, total: 1 });
      const spec: QeFeatureSpec = { ...features, hashDims };
      const b = buildFeatureBank(train, spec);
      const f1 = fitK(1, { d: train, embeddings, dims, bank: b, folds, foldCount: F, seed, priorWeight, l2Grid, target, strongestAccuracy });
      const loss = Math.min(...Object.values(f1.qe.oofLogLoss));
      hashLoss[String(hashDims)] = loss;
      if (loss < bestLoss) {
        bestLoss = loss;
        features = spec;
        bank = b;
      }
    }
  }
  const maxK = Math.max(1, Math.floor(train.n / 20));
  const ks = [...new Set([1, ...(o.kCandidates ?? DEFAULT_K)])].filter((k) => k >= 1 && k <= maxK).sort((a, b) => a - b);
  const fits: KFit[] = [];
  for (const [j, k] of ks.entries()) {
    progress({ stage: `clusters k=${k}`, done: j, total: ks.length });
    fits.push(fitK(k, { d: train, embeddings, dims, bank, folds, foldCount: F, seed, priorWeight, l2Grid, target, strongestAccuracy }));
  }
  progress({ stage: "evaluating", done: ks.length, total: ks.length });

  // k by downstream utility on validation: the cheapest point meeting the target; else the most accurate.
  const best = [...fits].sort((a, b) =>
    a.met !== b.met ? (a.met ? -1 : 1) : a.met ? a.chosen.costRelative - b.chosen.costRelative || b.chosen.accuracy - a.chosen.accuracy : b.chosen.accuracy - a.chosen.accuracy,
  )[0]!;
  const oneCluster = fits.find((f) => f.k === 1)!;
  const createdAt = (o.now ?? (() => new Date()))().toISOString();
  const hash = dataHash(o.dataset);
  const names = tiers.map((t) => t.name);
  const thresholdsOf = (tau: readonly number[]): Record<string, number> => Object.fromEntries(names.slice(0, -1).map((t, i) => [t, tau[i]!]));
  const settings: Record<string, unknown> = {
    dataset: o.dataset.name,
    seed,
    split: { train: 1 - testFraction, test: testFraction, validation: `${F}-fold cross-fitting on the training split` },
    rows: { train: train.n, test: test.n },
    kCandidates: ks,
    k: best.k,
    kChosenBy: `cheapest validation operating point reaching ${target} × the strongest tier's accuracy`,
    target,
    beta: best.chosen.beta,
    thresholds: thresholdsOf(best.chosen.thresholds),
    thresholdsWithoutText: thresholdsOf(best.chosen.thresholdsWithoutText),
    priorWeight,
    qeL2: best.qe.l2,
    qeL2Grid: l2Grid,
    qeHashDims: features.hashDims,
    qeHashDimsValidationLogLoss: hashLoss,
    outputTokensWithoutText: 1,
    tokenizer: "@weir/tokens countTokens",
  };

  const artifactFor = (fit: KFit, p: Pick<SweepPoint, "thresholds" | "thresholdsWithoutText" | "beta">, metrics: Record<string, unknown>): RoutingArtifact =>
    buildArtifact({
      fit,
      d: train,
      embedder: embedder.spec,
      features,
      thresholds: p.thresholds,
      thresholdsWithoutText: p.thresholdsWithoutText,
      beta: p.beta,
      priorWeight,
      createdAt,
      dataHash: hash,
      settings,
      metrics,
    });

  // Held-out evaluation of the chosen artifact, with the serving code.
  const provisional = artifactFor(best, best.chosen, {});
  const model = new RoutingModel(provisional);
  const testReport = await evaluateModel(model, test);
  const testScored = await scoreRows(model, test);

  // Baselines on the same held-out rows, each at its own validation-chosen point.
  const unit = meanCost(train, T - 1);
  const trainRows = range(0, train.n);
  const accOnTest = (t: number): number => tierAccuracy(test, t);
  const strongestTest = accOnTest(T - 1);
  const costOnTest = (t: number): number => meanCost(test, t) / meanCost(test, T - 1);
  const methods: MethodResult[] = [];
  const push = (method: string, p: { accuracy: number; costRelative: number; reached: number[] }, s: string): void => {
    methods.push({
      method,
      accuracy: r4(p.accuracy),
      relativeAccuracy: r4(p.accuracy / strongestTest),
      costRelative: r4(p.costRelative),
      neverStrongest: r4(1 - p.reached[T - 1]!),
      settings: s,
    });
  };
  tiers.forEach((tier, t) => {
    const reached = names.map((_, u) => (u === t ? 1 : 0));
    push(`always ${tier.name}`, { accuracy: accOnTest(t), costRelative: costOnTest(t), reached }, tier.model);
  });

  // Router only: clusters and β, every answer accepted (no QE).
  const noEscalation = names.map(() => 0);
  const routerVal = sweepCrossFitted(
    { d: train, assign: best.assign, k: best.k, folds, foldCount: F, probs: best.qe.probOOF, priorWeight, answerText: best.answerText },
    { taus: [noEscalation], betas: betaGrid() },
  );
  const routerPick = choosePoint(routerVal, strongestAccuracy, target).point;
  const routerOptions = (): ReturnType<typeof startOptions> =>
    startOptions(train, trainRows, best.assign, best.k, best.qe.probOOF, () => noEscalation, priorWeight, unit);
  const routerTest = sweepHeldOut(test, testScored.clusters, testScored.probs, best.answerText, routerOptions, { taus: [noEscalation], betas: betaGrid() });
  const routerAt = routerTest.find((p) => p.beta === routerPick.beta)!;
  push("router only (clusters, no QE)", routerAt, `k=${best.k}, β=${routerPick.beta}`);

  // Escalation only: one cluster, always start cheapest, QE thresholds.
  const escVal = sweepCrossFitted(
    { d: train, assign: oneCluster.assign, k: 1, folds, foldCount: F, probs: oneCluster.qe.probOOF, priorWeight, answerText: oneCluster.answerText, starts: [0] },
    { taus: thresholdGrid(T), betas: [0] },
  );
  const escPick = choosePoint(escVal, strongestAccuracy, target).point;
  const escModel = new RoutingModel(artifactFor(oneCluster, { ...escPick, beta: 0 }, {}));
  const escScored = await scoreRows(escModel, test);
  const escOptions = (tau: readonly number[]): ReturnType<typeof startOptions> =>
    startOptions(train, trainRows, oneCluster.assign, 1, oneCluster.qe.probOOF, () => tau, priorWeight, unit);
  const escTest = sweepHeldOut(test, escScored.clusters, escScored.probs, oneCluster.answerText, escOptions, { taus: thresholdGrid(T), betas: [0] }, [0]);
  const escAt = escTest.find((p) => same(p.thresholds, escPick.thresholds))!;
  push("escalation only (QE, no clusters)", escAt, `τ=${fmtTau(escPick.thresholds)}`);

  // Weir: clusters + β + QE escalation, the artifact's point.
  const weirOptions = (tau: readonly number[]): ReturnType<typeof startOptions> =>
    startOptions(train, trainRows, best.assign, best.k, best.qe.probOOF, () => tau, priorWeight, unit);
  const weirTest = sweepHeldOut(test, testScored.clusters, testScored.probs, best.answerText, weirOptions, { taus: thresholdGrid(T), betas: betaGrid() });
  const weirAt = {
    accuracy: testReport.accuracy,
    costRelative: testReport.costRelative,
    reached: names.map((n) => testReport.reached[n] ?? 0),
  };
  const tauText = fmtTau(best.chosen.thresholds);
  const tauNoText = fmtTau(best.chosen.thresholdsWithoutText);
  push(
    "Weir (clusters + QE escalation)",
    weirAt,
    `k=${best.k}, β=${best.chosen.beta}, τ=${tauText}${tauNoText === tauText ? "" : ` (no answer text: ${tauNoText})`}`,
  );

  // Random mix of the cheapest and strongest tier at Weir's cost.
  const c0 = costOnTest(0);
  const mixShare = Math.min(1, Math.max(0, (weirAt.costRelative - c0) / (1 - c0)));
  push(
    "random mix at equal cost",
    {
      accuracy: (1 - mixShare) * accOnTest(0) + mixShare * strongestTest,
      costRelative: (1 - mixShare) * c0 + mixShare,
      reached: names.map((_, t) => (t === 0 ? 1 - mixShare : t === T - 1 ? mixShare : 0)),
    },
    `${(mixShare * 100).toFixed(1)}% to ${names[T - 1]}`,
  );

  const frontier = (ps: SweepPoint[]): TrainReport["frontiers"][string] =>
    paretoFrontier(ps).map((p) => ({
      costRelative: r4(p.costRelative),
      accuracy: r4(p.accuracy),
      neverStrongest: r4(1 - p.reached[T - 1]!),
      beta: p.beta,
      thresholds: p.thresholds,
      thresholdsWithoutText: p.thresholdsWithoutText,
    }));
  const report: TrainReport = {
    dataset: o.dataset.name,
    rows: { train: train.n, test: test.n },
    tiers,
    target,
    kSelection: fits.map((f) => ({
      k: f.k,
      inertia: r4(f.inertia),
      met: f.met,
      accuracy: r4(f.chosen.accuracy),
      relativeAccuracy: r4(f.chosen.accuracy / strongestAccuracy),
      costRelative: r4(f.chosen.costRelative),
      qeL2: f.qe.l2,
    })),
    chosen: {
      k: best.k,
      beta: best.chosen.beta,
      thresholds: thresholdsOf(best.chosen.thresholds),
      thresholdsWithoutText: thresholdsOf(best.chosen.thresholdsWithoutText),
      validation: { accuracy: r4(best.chosen.accuracy), relativeAccuracy: r4(best.chosen.accuracy / strongestAccuracy), costRelative: r4(best.chosen.costRelative), met: best.met },
    },
    test: testReport,
    methods,
    frontiers: {
      "Weir (clusters + QE escalation)": frontier(weirTest),
      "router only (clusters, no QE)": frontier(routerTest),
      "escalation only (QE, no clusters)": frontier(escTest),
    },
  };
  const metrics: Record<string, unknown> = {
    split: "held-out test split (never used for any choice)",
    rows: test.n,
    accuracy: testReport.accuracy,
    strongestAccuracy: testReport.strongestAccuracy,
    relativeAccuracy: testReport.relativeAccuracy,
    neverStrongest: testReport.neverStrongest,
    costRelative: testReport.costRelative,
    costSaving: testReport.costSaving,
    reached: testReport.reached,
    qe: testReport.qe,
    validation: report.chosen.validation,
    ...(testReport.bySource === undefined ? {} : { bySource: testReport.bySource }),
  };
  return { artifact: artifactFor(best, best.chosen, metrics), report };
}

async function makeEmbedder(choice: EmbedderChoice | undefined, trainPrompts: readonly string[]): Promise<Embedder> {
  if (choice?.kind === "openai") {
    const e = new OpenAiEmbedder({ baseUrl: choice.baseUrl, model: choice.model, ...(choice.apiKey === undefined ? {} : { apiKey: choice.apiKey }) });
    await e.embed(trainPrompts.slice(0, 1)); // learns the dimensions, fails early when the server is not there
    return e;
  }
  return HashedTfidfEmbedder.fit(trainPrompts, { ...DEFAULT_HASHED_TFIDF, ...(choice?.settings ?? {}) });
}

function meanCost(d: PreparedData, t: number): number {
  const T = d.tiers.length;
  let s = 0;
  for (let i = 0; i < d.n; i++) s += d.costUsd[i * T + t]!;
  return d.n === 0 ? 0 : s / d.n;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fmtTau(t: readonly number[]): string {
  return t.slice(0, -1).join("/");
}

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export type { EmbedderSpec };
