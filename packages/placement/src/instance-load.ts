import type { LiveInstance } from "./live-instance.js";

/**
 * (running + waiting + inflight) / max(1, maxConcurrency): the fraction of its
 * slots an instance would have busy, counting placements since its heartbeat.
 */
export function instanceLoad(instance: LiveInstance): number {
  return (instance.running + instance.waiting + instance.inflight) / Math.max(1, instance.maxConcurrency);
}
