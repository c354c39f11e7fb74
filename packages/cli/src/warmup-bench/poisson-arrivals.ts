import { seededRandom } from "@weir/routing";

/**
 * Arrival times (ms) of `n` requests from a Poisson process at `ratePerSecond`:
 * exponential gaps with mean 1000 / rate, the first one after a gap too.
 * The same seed gives the same times.
 */
export function poissonArrivals(n: number, ratePerSecond: number, seed: number): number[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  if (!(ratePerSecond > 0 && Number.isFinite(ratePerSecond))) throw new RangeError(`the rate must be > 0 requests per second, got ${ratePerSecond}`);
  const random = seededRandom(seed);
  const meanGapMs = 1000 / ratePerSecond;
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    // 1 − u is in (0, 1]: never log(0).
    t += -Math.log(1 - random()) * meanGapMs;
    times.push(t);
  }
  return times;
}
