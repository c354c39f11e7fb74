// The arrivals of one probed rate: the trace's arrivals made `scale` times
// denser, for a fixed stretch of time rather than a fixed count. A fixed
// count would let a fast deployment "sustain" any rate by absorbing the
// whole count as one burst within the SLO (3,000 requests arrive in 0.6 s at
// 1,000×); a fixed duration several times the SLO makes a deployment that
// cannot keep up build a queue it cannot hide. When the scaled trace ends
// before the duration, it is replayed again from its start.

import type { TraceRequest } from "@weir/datasets";

export function arrivalsForDuration(trace: readonly TraceRequest[], scale: number, durationMs: number): TraceRequest[] {
  if (trace.length === 0) throw new RangeError("the trace has no requests");
  if (!(scale > 0 && durationMs > 0)) throw new RangeError("scale and duration must be > 0");
  const first = trace[0]!.arrivalMs;
  // One lap: the trace's span plus its mean gap, so a replay does not land on the last arrival.
  const span = trace.at(-1)!.arrivalMs - first;
  const lap = (span + (trace.length > 1 ? span / (trace.length - 1) : 1000)) / scale;
  const out: TraceRequest[] = [];
  for (let offset = 0; offset < durationMs; offset += lap) {
    for (const r of trace) {
      const t = offset + (r.arrivalMs - first) / scale;
      if (t >= durationMs) return out;
      out.push({ ...r, arrivalMs: t });
    }
  }
  return out;
}
