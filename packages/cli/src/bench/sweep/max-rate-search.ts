// The highest arrival-rate factor a deployment sustains: the largest scale at
// which the probe (one virtual-time run at that scale) still meets the SLO.
// Grow or shrink geometrically from a start until one scale passes and one
// fails, then bisect geometrically until they are within `tolerance` of
// each other. Assumes a deployment that fails at one rate fails at every
// higher rate, which holds for queues up to the step-time jitter; the
// probes are all returned so a reader can see it held.

export interface RateProbe {
  scale: number;
  ok: boolean;
}

export interface MaxRateSearchOptions {
  /** First scale to try. */
  start: number;
  /** Stop when hi / lo ≤ 1 + tolerance (e.g. 0.05: within 5 %). */
  tolerance: number;
  /** Give up growing above this scale (reported as "at least"). */
  maxScale: number;
  /** Give up shrinking below this scale (reported as none). */
  minScale: number;
}

export interface MaxRateSearchResult {
  /** The largest scale that passed; undefined when even minScale failed. */
  scale: number | undefined;
  /** True when maxScale passed, so the real limit is higher. */
  capped: boolean;
  probes: RateProbe[];
}

export async function maxSustainableScale(
  probe: (scale: number) => Promise<boolean>,
  o: MaxRateSearchOptions,
): Promise<MaxRateSearchResult> {
  if (!(o.start > 0 && o.minScale > 0 && o.maxScale >= o.minScale && o.tolerance > 0)) {
    throw new RangeError("max-rate search needs 0 < minScale ≤ start ≤ maxScale and tolerance > 0");
  }
  const probes: RateProbe[] = [];
  const run = async (scale: number): Promise<boolean> => {
    const ok = await probe(scale);
    probes.push({ scale, ok });
    return ok;
  };
  let lo: number | undefined;
  let hi: number | undefined;
  let s = Math.min(Math.max(o.start, o.minScale), o.maxScale);
  if (await run(s)) {
    lo = s;
    while (hi === undefined) {
      if (s >= o.maxScale) return { scale: lo, capped: true, probes };
      s = Math.min(s * 2, o.maxScale);
      if (await run(s)) lo = s;
      else hi = s;
    }
  } else {
    hi = s;
    while (lo === undefined) {
      if (s <= o.minScale) return { scale: undefined, capped: false, probes };
      s = Math.max(s / 2, o.minScale);
      if (await run(s)) lo = s;
      else hi = s;
    }
  }
  while (hi / lo > 1 + o.tolerance) {
    const mid = Math.sqrt(lo * hi);
    if (await run(mid)) lo = mid;
    else hi = mid;
  }
  return { scale: lo, capped: false, probes };
}
