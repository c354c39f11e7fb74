import { performance } from "node:perf_hooks";
import { summarize, type LatencySummary } from "./stats.js";

/** Runs `call` `n` times one after another; latency of each in ms. */
export async function sequential(n: number, call: () => Promise<unknown>, warmup = 200): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export interface ThroughputResult {
  concurrency: number;
  seconds: number;
  completed: number;
  failed: number;
  reqPerSec: number;
  latency: LatencySummary;
}

/** Keeps `concurrency` calls in flight for `seconds`; completed calls per second. */
export async function closedLoop(concurrency: number, seconds: number, call: () => Promise<unknown>): Promise<ThroughputResult> {
  const end = performance.now() + seconds * 1000;
  const samples: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          await call();
          samples.push(performance.now() - s);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { concurrency, seconds: elapsed, completed: samples.length, failed, reqPerSec: samples.length / elapsed, latency: summarize(samples) };
}
