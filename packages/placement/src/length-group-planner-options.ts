// Tunables of length-specialised grouping (CascadeInfer), with documented
// defaults; see length-group-planner.ts for how each is used.

export interface LengthGroupPlannerOptions {
  /**
   * Length groups per tier. Default: one per 4 instances, 1 to 4 (2 for 8
   * instances): in the simulated Azure conversation trace, more groups of
   * fewer instances each lost more to bursts (no pooling) than they gained.
   */
  groups?: number;
  /** Recent requests the per-tier length histogram remembers. Default 2000. */
  window?: number;
  /** Re-plan after this many requests since the last plan. Default 500. */
  replanEvery?: number;
  /**
   * Re-plan early when the histogram has drifted this far (total-variation
   * distance, 0..1) from the one the plan was computed from; checked every
   * driftCheckEvery requests. Default 0.2.
   */
  driftThreshold?: number;
  /** How often (in requests) to test for drift. Default 50. */
  driftCheckEvery?: number;
  /** Requests seen before a tier's first plan (until then: one group). Default 100. */
  minSamples?: number;
  /**
   * Weights of the per-request cost the DP balances (request-length-cost.ts),
   * in token-equivalents of prefill. Defaults fitted to the simulator's
   * roofline for Llama-3.1-8B on one H100 (1k-token prefill ≈ 34 ms, 8k ≈
   * 300 ms, decode step ≈ 4.8 ms of weight reads + 128 KiB of KV per context
   * token at 80% of 3.35 TB/s):
   * - attentionTokens 32768: prefill attention adds ≈ 10% per token at 8k;
   * - decodeTokenWeight 3: an output token's share of a decode step (batches
   *   of ~100–200) costs ≈ 3 prompt tokens' worth of compute;
   * - kvReadTokens 700: reading 700 tokens of KV per step costs ≈ one prompt token.
   */
  attentionTokens?: number;
  decodeTokenWeight?: number;
  kvReadTokens?: number;
  /**
   * Load balance across groups: a request spills into a neighbouring group
   * when its own group's work per instance exceeds spillRatio × the
   * neighbour's + spillMarginTokens. Work per instance is the prefix cost
   * model's queue terms (prefix-cost.ts: queued prefill + decode load, in
   * token-equivalents), so a group whose instances are busy with long
   * prefills counts as loaded even at equal request counts.
   * Defaults 1.25 and 2048 tokens.
   */
  spillRatio?: number;
  spillMarginTokens?: number;
  /**
   * Fewest instances a group may have (capped at instances / groups): one
   * instance alone cannot absorb a burst the way a pool can. Default 2.
   */
  minGroupInstances?: number;
}

export interface ResolvedLengthGroupPlannerOptions {
  /** 0 = automatic: one per 4 instances, 1 to 4 (see groupsFor). */
  groups: number;
  window: number;
  replanEvery: number;
  driftThreshold: number;
  driftCheckEvery: number;
  minSamples: number;
  attentionTokens: number;
  decodeTokenWeight: number;
  kvReadTokens: number;
  spillRatio: number;
  spillMarginTokens: number;
  minGroupInstances: number;
}

export function resolveLengthGroupOptions(o: LengthGroupPlannerOptions = {}): ResolvedLengthGroupPlannerOptions {
  return {
    groups: o.groups ?? 0,
    window: o.window ?? 2000,
    replanEvery: o.replanEvery ?? 500,
    driftThreshold: o.driftThreshold ?? 0.2,
    driftCheckEvery: o.driftCheckEvery ?? 50,
    minSamples: o.minSamples ?? 100,
    attentionTokens: o.attentionTokens ?? 32768,
    decodeTokenWeight: o.decodeTokenWeight ?? 3,
    kvReadTokens: o.kvReadTokens ?? 700,
    spillRatio: o.spillRatio ?? 1.25,
    spillMarginTokens: o.spillMarginTokens ?? 2048,
    minGroupInstances: o.minGroupInstances ?? 2,
  };
}

/** The groups to plan for a tier of `instances`: the option, or one per 4 instances (1 to 4). */
export function groupsFor(o: ResolvedLengthGroupPlannerOptions, instances: number): number {
  return o.groups > 0 ? o.groups : Math.max(1, Math.min(4, Math.floor(instances / 4)));
}
