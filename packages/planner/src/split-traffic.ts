// Each tier's share of a trace under fixed thresholds: a request visits the
// tiers on its path (its start tier, then each tier it escalates to), and
// every tier it visits must serve it. At the inner level, an escalated
// request keeps its trace arrival time on the later tier: the delay of the
// tiers before it shifts arrivals by about their latency but does not change
// the rate, and the rate is what sizes a tier.

import type { TraceRequest } from "@weir/datasets";

/** `path(request, index)` lists the tier indices the request visits, in order. */
export function splitTraffic(
  trace: readonly TraceRequest[],
  tierCount: number,
  path: (request: TraceRequest, index: number) => readonly number[],
): TraceRequest[][] {
  const shares = Array.from({ length: tierCount }, () => [] as TraceRequest[]);
  trace.forEach((r, i) => {
    for (const t of path(r, i)) {
      const share = shares[t];
      if (share === undefined) throw new RangeError(`request ${i}'s path names tier ${t}: there are ${tierCount}`);
      share.push(r);
    }
  });
  return shares;
}
