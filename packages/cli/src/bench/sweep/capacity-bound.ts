// Why a cascade's throughput is what it is, from the measured single-tier
// capacities. A tier generating for a share s of the requests, on a fraction
// g of the GPUs, keeps up while rate × s ≤ g × (its capacity on every GPU),
// so with the GPUs split in proportion to the work (the fluid ideal, no
// integer replicas, no latency of the escalation path) the highest rate is
//   1 / (s_small / C_small + s_large / C_large).
// Relative to large-only (C_large) that is 1 / (s_small × C_large / C_small + s_large):
// never more than 1 / s_large however cheap the small tier is.

import type { ScoredCascade } from "@weir/planner";
import type { RowPath } from "../bench-paths.js";
import type { BenchRequest } from "../bench-workload.js";

export interface TierShares {
  /** Share of requests that get a generation on the small tier (started there). */
  small: number;
  /** Share of requests that get a generation on the large tier (started there or escalated). */
  large: number;
}

export function tierShares(paths: readonly RowPath[], requests: readonly BenchRequest[]): TierShares {
  if (requests.length === 0) throw new RangeError("no requests");
  let small = 0;
  let large = 0;
  for (const r of requests) {
    const p = paths[r.row]!;
    if (p.tiers.includes(0)) small++;
    if (p.tiers.includes(1)) large++;
  }
  return { small: small / requests.length, large: large / requests.length };
}

/** The fluid-ideal rate (same unit as the capacities) of a cascade with these shares. */
export function fluidRate(shares: TierShares, capacity: { small: number; large: number }): number {
  const work = shares.small / capacity.small + shares.large / capacity.large;
  return work === 0 ? Number.POSITIVE_INFINITY : 1 / work;
}

/**
 * The least share of requests the large tier must answer to keep
 * `minQuality` × large-only's accuracy, if a perfect router knew which small
 * answers are wrong and which of those the large model gets right (every
 * other request answered by small alone). Undefined when even that cannot
 * reach the quality. The lower limit of any router and judge on these labels.
 */
export function perfectRouterLargeShare(cascade: ScoredCascade, requests: readonly BenchRequest[], minQuality: number): number | undefined {
  const T = cascade.tiers.length;
  if (T !== 2) throw new RangeError("the perfect-router share is defined for two tiers");
  let smallRight = 0;
  let largeRight = 0;
  let gains = 0;
  for (const r of requests) {
    const s = cascade.correct[r.row * T] === 1;
    const l = cascade.correct[r.row * T + 1] === 1;
    if (s) smallRight++;
    if (l) largeRight++;
    if (!s && l) gains++;
  }
  const n = requests.length;
  const needed = Math.max(0, Math.ceil(minQuality * largeRight - smallRight - 1e-9));
  return needed > gains ? undefined : needed / n;
}
