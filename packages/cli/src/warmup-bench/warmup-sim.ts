// One run of a two-tier cascade in virtual time, with or without escalation
// warm-up, on one VirtualCluster holding both tiers' instances. Per request:
//
//   arrival → (plan starts small) small generates → judge → escalate: the
//             large tier generates, placed by the policy when the small
//             answer is done (the judge's own latency is not modelled);
//           → (plan starts large) the large tier generates.
//
// With warm-ups on, a request whose plan marks the large rung warm_up asks,
// at its arrival, what the kv-cache-manager would: skip when an instance
// already holds the whole prompt, when the warm-up budget is spent, or when
// the placement policy finds no large instance idle enough (warmup=true);
// otherwise a prefill-only request (one token generated and discarded, as the
// sim engine serves prefill_only) runs on the instance the policy chose,
// holding a budget slot until it ends. The escalated request is placed later,
// by the same policy, which sees the warmed blocks in its cache view.

import type { PlacementPolicy } from "@weir/placement";
import { type RequestResult, type SimInstanceOptions, VirtualCluster } from "@weir/sim";
import { TierPlacement } from "./tier-placement.js";

/** One request as the simulation needs it: sizes, and what the cascade decided. */
export interface SimCascadeRequest {
  id: string;
  arrivalMs: number;
  promptTokens: number;
  blockHashes: readonly bigint[];
  smallOutputTokens: number;
  largeOutputTokens: number;
  startsOnLarge: boolean;
  escalates: boolean;
  /** The router marked the large rung warm_up. */
  warmUp: boolean;
}

export interface TierShape {
  /** A @weir/sim preset, e.g. "llama-3.1-70b/h100x4". */
  preset: string;
  instances: number;
}

export interface WarmupSimOptions {
  small: TierShape;
  large: TierShape;
  /** A fresh placement policy (one per tier, as the scheduler keeps one per tier). */
  policy: () => PlacementPolicy;
  /** Whether warm-ups run at all (false: the cold baseline; warmUp flags are ignored). */
  warmUps: boolean;
  /** The global warm-up budget: prefills in flight at once. */
  maxWarmUpsInFlight: number;
  /**
   * Proposed scheduler rule, off by default: offer a warm-up only instances
   * with at most this many prompt tokens queued for prefill.
   */
  warmUpMaxQueuedPrefill?: number | undefined;
  seed?: number;
}

/** Why a warm-up was not started (as the kv-cache-manager answers). */
export type WarmUpSkip = "cached" | "busy" | "no_idle_instance" | "too_short";

export interface WarmUpRecord {
  outcome: "started" | WarmUpSkip;
  /** Cluster index of the warmed instance (started). */
  instance?: number;
  /** The prefill's own result, once it ended. */
  result?: RequestResult;
}

export interface SimCascadeOutcome {
  request: SimCascadeRequest;
  small?: RequestResult;
  /** The large tier's generation: escalated, or the plan's first rung. */
  large?: RequestResult;
  warmUp?: WarmUpRecord;
}

export const SMALL_TIER = "small";
export const LARGE_TIER = "large";

export function runWarmupSim(requests: readonly SimCascadeRequest[], opts: WarmupSimOptions): SimCascadeOutcome[] {
  const instances: SimInstanceOptions[] = [
    ...named(SMALL_TIER, opts.small),
    ...named(LARGE_TIER, opts.large),
  ];
  const onDone = new Map<string, (r: RequestResult) => void>();
  const cluster = new VirtualCluster({
    instances,
    seed: opts.seed ?? 0,
    keepResults: false,
    onComplete: (r) => {
      const fn = onDone.get(r.id);
      onDone.delete(r.id);
      fn?.(r);
    },
  });
  const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
  const small = new TierPlacement(SMALL_TIER, range(0, opts.small.instances), cluster.instances, opts.policy());
  const large = new TierPlacement(LARGE_TIER, range(opts.small.instances, opts.large.instances), cluster.instances, opts.policy());

  let warmInFlight = 0;
  const warmUp = (req: SimCascadeRequest, nowMs: number): WarmUpRecord => {
    if (req.blockHashes.length === 0) return { outcome: "too_short" };
    if (large.holdsAll(req.blockHashes)) return { outcome: "cached" };
    if (warmInFlight >= opts.maxWarmUpsInFlight) return { outcome: "busy" };
    const instance = large.placeWarmUp(req.promptTokens, req.blockHashes, nowMs, opts.warmUpMaxQueuedPrefill);
    if (instance === undefined) return { outcome: "no_idle_instance" };
    const record: WarmUpRecord = { outcome: "started", instance };
    warmInFlight++;
    const id = `${req.id}/warm-up`;
    onDone.set(id, (r) => {
      warmInFlight--;
      record.result = r;
    });
    cluster.submit({ id, promptTokens: req.promptTokens, outputTokens: 1, blockHashes: req.blockHashes }, nowMs, instance);
    return record;
  };
  const onLarge = (req: SimCascadeRequest, out: SimCascadeOutcome, atMs: number): void => {
    const id = `${req.id}/large`;
    onDone.set(id, (r) => (out.large = r));
    cluster.submit({ id, promptTokens: req.promptTokens, outputTokens: req.largeOutputTokens, blockHashes: req.blockHashes }, atMs, large.placement);
  };

  const outcomes: SimCascadeOutcome[] = [];
  const ordered = [...requests].sort((a, b) => a.arrivalMs - b.arrivalMs);
  for (const req of ordered) {
    // Everything up to this arrival has happened: decisions see the live state.
    cluster.run(req.arrivalMs);
    const out: SimCascadeOutcome = { request: req };
    outcomes.push(out);
    if (req.startsOnLarge) {
      onLarge(req, out, req.arrivalMs);
      continue;
    }
    if (opts.warmUps && req.warmUp) out.warmUp = warmUp(req, req.arrivalMs);
    const id = `${req.id}/small`;
    onDone.set(id, (r) => {
      out.small = r;
      if (req.escalates) onLarge(req, out, r.finishMs);
    });
    cluster.submit({ id, promptTokens: req.promptTokens, outputTokens: req.smallOutputTokens, blockHashes: req.blockHashes }, req.arrivalMs, small.placement);
  }
  cluster.run();
  return outcomes;
}

function named(tier: string, shape: TierShape): SimInstanceOptions[] {
  if (!(Number.isInteger(shape.instances) && shape.instances >= 1)) throw new RangeError(`tier ${tier} needs at least one instance, got ${shape.instances}`);
  return Array.from({ length: shape.instances }, (_, i) => ({ preset: shape.preset, tier, instanceId: `${tier}-${i}` }));
}
