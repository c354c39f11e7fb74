// `weir warmup-bench`: a GSM8K cascade on simulated small and large
// instances in virtual time, run cold (no warm-up) and with the router's
// warm-up at each asked threshold, on the same arrivals and the same
// decisions, so the runs differ only by the warm-ups.

import { loadGsm8k } from "@weir/datasets";
import { createPlacementPolicy, type PlacementPolicyName } from "@weir/placement";
import { type RoutingArtifact, RoutingModel } from "@weir/routing";
import { type CascadeDecision, decideCascade, twoTiers, warmsUp } from "./cascade-decisions.js";
import { buildWorkload } from "./gsm8k-workload.js";
import { poissonArrivals } from "./poisson-arrivals.js";
import { type RunFigures, runFigures } from "./warmup-figures.js";
import { type SimCascadeRequest, type TierShape, runWarmupSim } from "./warmup-sim.js";

export interface WarmupBenchOptions {
  artifact: RoutingArtifact;
  /** Where the artifact was read from, for the report. */
  artifactsDir: string;
  /** Poisson arrival rate, requests per second. */
  rate: number;
  /** At most this many GSM8K rows (default: all). */
  requests?: number | undefined;
  /** Only the rows the artifact held out from training. */
  heldOut: boolean;
  /** Synthetic context tokens before each question (0: the GSM8K prompt alone). */
  contextTokens: number;
  small: TierShape;
  large: TierShape;
  policy: PlacementPolicyName;
  /** router.warmUp.acceptBelow values to run, besides the cold baseline. */
  acceptBelow: readonly number[];
  maxWarmUpsInFlight: number;
  /** Proposed scheduler rule (see WarmupSimOptions): unset = the scheduler's policy as it is. */
  warmUpMaxQueuedPrefill?: number | undefined;
  seed: number;
}

export interface VariantReport extends RunFigures {
  /** "cold", or "warm" at acceptBelow. */
  name: string;
  acceptBelow: number | null;
}

export interface WarmupBenchReport {
  /** Every time below is virtual (simulated), not measured on hardware. */
  simulated: true;
  workload: {
    dataset: string;
    rows: number;
    heldOut: boolean;
    ratePerSecond: number;
    contextTokens: number;
    meanPromptTokens: number;
    meanSmallOutputTokens: number;
    meanLargeOutputTokens: number;
    durationS: number;
  };
  cascade: {
    artifactsDir: string;
    router: string;
    judge: string;
    escalationSource: string;
    startSmall: number;
    startLarge: number;
    escalations: number;
  };
  cluster: {
    small: TierShape;
    large: TierShape;
    policy: PlacementPolicyName;
    maxWarmUpsInFlight: number;
    /** null: the scheduler's warm-up gate as it is (sequence load only). */
    warmUpMaxQueuedPrefill: number | null;
    seed: number;
  };
  variants: VariantReport[];
}

export function runWarmupBench(o: WarmupBenchOptions): WarmupBenchReport {
  const tiers = twoTiers(o.artifact);
  const settings = o.artifact.settings as { seed?: unknown; split?: { test?: unknown } };
  const heldOut = o.heldOut
    ? { seed: typeof settings.seed === "number" ? settings.seed : 42, testFraction: typeof settings.split?.test === "number" ? settings.split.test : 0.2 }
    : undefined;
  const rows = buildWorkload(loadGsm8k(), {
    smallModel: tiers.smallModel,
    largeModel: tiers.largeModel,
    heldOut,
    limit: o.requests,
    contextTokens: o.contextTokens,
  });
  if (rows.length === 0) throw new Error("no GSM8K rows to run");
  const decisions = decideCascade(o.artifact, rows);
  const arrivals = poissonArrivals(rows.length, o.rate, o.seed);
  const model = new RoutingModel(o.artifact);
  const requests = (warm: readonly boolean[]): SimCascadeRequest[] =>
    rows.map((row, i) => ({
      id: `r${i}`,
      arrivalMs: arrivals[i]!,
      promptTokens: row.promptTokens,
      blockHashes: row.blockHashes,
      smallOutputTokens: row.smallOutputTokens,
      largeOutputTokens: row.largeOutputTokens,
      startsOnLarge: decisions[i]!.startsOnLarge,
      escalates: decisions[i]!.escalates,
      warmUp: warm[i]!,
    }));
  const simulate = (warm: readonly boolean[] | undefined): RunFigures =>
    runFigures(
      runWarmupSim(requests(warm ?? rows.map(() => false)), {
        small: o.small,
        large: o.large,
        // The warm-up rule is the scheduler's own (@weir/placement): by default
        // no warm-up joins an instance with prefill queued; the flag relaxes it.
        policy: () =>
          createPlacementPolicy(
            o.policy,
            o.warmUpMaxQueuedPrefill === undefined ? {} : { warmupMaxQueuedPrefillTokens: o.warmUpMaxQueuedPrefill },
          ),
        warmUps: warm !== undefined,
        maxWarmUpsInFlight: o.maxWarmUpsInFlight,
        warmUpMaxQueuedPrefill: o.warmUpMaxQueuedPrefill,
        seed: o.seed,
      }),
    );

  const variants: VariantReport[] = [{ name: "cold", acceptBelow: null, ...simulate(undefined) }];
  for (const t of o.acceptBelow) variants.push({ name: `warm <${t}`, acceptBelow: t, ...simulate(warmsUp(model, rows, t)) });

  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const startLarge = count(decisions, (d) => d.startsOnLarge);
  return {
    simulated: true,
    workload: {
      dataset: heldOut ? "gsm8k (held-out test split of the artifact)" : "gsm8k (all rows)",
      rows: rows.length,
      heldOut: o.heldOut,
      ratePerSecond: o.rate,
      contextTokens: o.contextTokens,
      meanPromptTokens: round(mean(rows.map((r) => r.promptTokens))),
      meanSmallOutputTokens: round(mean(rows.map((r) => r.smallOutputTokens))),
      meanLargeOutputTokens: round(mean(rows.map((r) => r.largeOutputTokens))),
      durationS: round(arrivals[arrivals.length - 1]! / 1000),
    },
    cascade: {
      artifactsDir: o.artifactsDir,
      router: `learned (clusters + β ${o.artifact.budget.beta}); warm-up when the small tier's predicted acceptance (its accuracy on the cluster) is below the threshold`,
      judge: `trained QE (${o.artifact.qe.scorer}) on the small model's recorded answer, at the plan's threshold`,
      escalationSource: "the judge's accept/reject (not the correctness labels)",
      startSmall: rows.length - startLarge,
      startLarge,
      escalations: count(decisions, (d) => d.escalates),
    },
    cluster: {
      small: o.small,
      large: o.large,
      policy: o.policy,
      maxWarmUpsInFlight: o.maxWarmUpsInFlight,
      warmUpMaxQueuedPrefill: o.warmUpMaxQueuedPrefill ?? null,
      seed: o.seed,
    },
    variants,
  };
}

function count(ds: readonly CascadeDecision[], pred: (d: CascadeDecision) => boolean): number {
  return ds.reduce((n, d) => n + (pred(d) ? 1 : 0), 0);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
