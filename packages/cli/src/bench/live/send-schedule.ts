// When each request leaves the client: open loop, at its (rate-scaled)
// trace arrival divided by the speedup, whatever happened to earlier ones.
// The sim engines run `speedup` times faster than the modelled GPUs, so the
// offered load they see is the trace's, in model time.

export interface Scheduled {
  /** Index into the request list. */
  index: number;
  /** Wall-clock ms after the run's start. */
  sendAtMs: number;
}

export function sendSchedule(arrivalsMs: readonly number[], speedup: number): Scheduled[] {
  if (!(Number.isFinite(speedup) && speedup > 0)) throw new RangeError(`the speedup must be a number > 0 (got ${speedup})`);
  if (arrivalsMs.length === 0) return [];
  const first = Math.min(...arrivalsMs);
  return arrivalsMs.map((a, index) => ({ index, sendAtMs: (a - first) / speedup })).sort((x, y) => x.sendAtMs - y.sendAtMs || x.index - y.index);
}

/** Wall-clock ms → model ms: everything measured live ran `speedup` times faster than the modelled GPUs. */
export function toModelMs(wallMs: number, speedup: number): number {
  return wallMs * speedup;
}
