// Tunables of the placement policies, with documented defaults. Every field
// is optional so a caller (the scheduler, sim-bench) passes only what it
// wants to change; resolvePlacementOptions() fills in the rest in one place.

import type { LengthGroupPlannerOptions } from "./length-group-planner-options.js";
import type { OutputLengthEstimatorOptions } from "./output-length-estimator.js";

/** Weights of the prefix-aware cost model (see prefix-cost.ts). */
export interface PrefixCostWeights {
  /**
   * Token-equivalents of prefill work that one full instance of decode load
   * (load 1.0 = every maxConcurrency slot busy) costs a newcomer before its
   * first token. Default 8192: a busy instance's decode steps and the
   * chunked-prefill budget they share with it delay a new prompt about as
   * much as a few thousand prompt tokens queued ahead would (vLLM's default
   * max_num_batched_tokens is 2048–8192 per step).
   */
  decodeLoadTokens?: number;
  /**
   * Weight of the prefill already queued on the instance (waitingPromptTokens,
   * cached prefixes excluded). Default 0.1: the newcomer's own uncached
   * prefill is work the cluster must do wherever it goes (a cache hit
   * removes it for good), while prefill queued ahead only delays this one
   * request, and a queue drains as the instance works. Measured on the
   * Mooncake conversation trace at ×3 arrivals (8 × Llama-3.1-8B/H100,
   * simulated): weight 1 → TTFT p50 7.3 s, 0.25 → 2.4 s, 0.1 → 2.1 s,
   * 0 → 2.4 s with p99 26 s (vs 14 s at 0.1).
   */
  queuedPrefillWeight?: number;
  /**
   * Load (running+waiting+inflight)/maxConcurrency above which an instance
   * is only chosen when every other is at least as loaded: a cache hit is
   * not worth queueing behind a saturated instance. Default 1.5.
   */
  overloadCutoff?: number;
}

export interface PlacementPolicyOptions {
  /** Warm-up placements go only to instances whose load is below this. Default 0.5. */
  warmupMaxLoad?: number;
  /** Warm-up placements go only to instances with at most this many prompt tokens queued for prefill. Default 0. */
  warmupMaxQueuedPrefillTokens?: number;
  /** prefix-aware and prefix-length-aware cost weights. */
  prefix?: PrefixCostWeights;
  /** length-aware and prefix-length-aware grouping. */
  lengthGroups?: LengthGroupPlannerOptions;
  /** length-aware: the output-length estimate used when a request carries no prediction. */
  outputLength?: OutputLengthEstimatorOptions;
  /** Clock for plan timestamps (ms), e.g. virtual time in a simulation. Default Date.now. */
  now?: () => number;
}

export const DEFAULT_WARMUP_MAX_LOAD = 0.5;
export const DEFAULT_WARMUP_MAX_QUEUED_PREFILL_TOKENS = 0;

/** When an instance is idle enough for a warm-up. */
export interface WarmupRule {
  maxLoad: number;
  maxQueuedPrefillTokens: number;
}
export const DEFAULT_DECODE_LOAD_TOKENS = 8192;
export const DEFAULT_QUEUED_PREFILL_WEIGHT = 0.1;
export const DEFAULT_OVERLOAD_CUTOFF = 1.5;

export interface ResolvedPrefixCostWeights {
  decodeLoadTokens: number;
  queuedPrefillWeight: number;
  overloadCutoff: number;
}

export function resolvePrefixWeights(w: PrefixCostWeights = {}): ResolvedPrefixCostWeights {
  return {
    decodeLoadTokens: w.decodeLoadTokens ?? DEFAULT_DECODE_LOAD_TOKENS,
    queuedPrefillWeight: w.queuedPrefillWeight ?? DEFAULT_QUEUED_PREFILL_WEIGHT,
    overloadCutoff: w.overloadCutoff ?? DEFAULT_OVERLOAD_CUTOFF,
  };
}
