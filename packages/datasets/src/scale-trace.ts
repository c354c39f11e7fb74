import type { TraceRequest } from "./trace-request.js";

export interface ScaleTraceOptions {
  /** Arrival-rate factor: 2 = twice the requests per second (arrivals at half the time). */
  rate?: number;
  /** Stretch or compress arrivals so that the last one is at this time (ms). */
  durationMs?: number;
}

/**
 * A copy of `trace` with arrivals sped up or slowed down (arrivalMs / rate);
 * lengths and hash ids unchanged. Give `rate` or `durationMs`, not both;
 * neither returns an unscaled copy. Throws RangeError on a value ≤ 0.
 */
export function scaleTrace(trace: readonly TraceRequest[], opts: ScaleTraceOptions = {}): TraceRequest[] {
  if (opts.rate !== undefined && opts.durationMs !== undefined) {
    throw new RangeError("scaleTrace takes rate or durationMs, not both");
  }
  let rate = 1;
  if (opts.rate !== undefined) rate = positive("rate", opts.rate);
  if (opts.durationMs !== undefined) {
    const duration = positive("durationMs", opts.durationMs);
    const last = trace.reduce((max, r) => Math.max(max, r.arrivalMs), 0);
    if (last > 0) rate = last / duration;
  }
  return trace.map((r) => ({ ...r, arrivalMs: r.arrivalMs / rate }));
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a number > 0, got ${v}`);
  return v;
}
