import type { LiveInstance } from "@weir/placement";

/**
 * How many requests would be waiting on an instance, as the scheduler sees
 * it: its queue at the last heartbeat plus the placements made since, less
 * any slots that heartbeat showed free. A queue that already has waiters has
 * no free slot to offer, whatever `running` says (an engine short of KV
 * blocks queues with slots to spare).
 */
export function projectedWaiting(instance: LiveInstance): number {
  if (instance.waiting > 0) return instance.waiting + instance.inflight;
  const freeSlots = Math.max(0, instance.maxConcurrency - instance.running);
  return Math.max(0, instance.inflight - freeSlots);
}

/**
 * Whether one more request fits in the instance's bounded queue (its
 * worker.maxWaiting, from its heartbeat; 0 = unbounded). When every slot is
 * busy this is the rule, waiting + inflight < maxWaiting; free slots
 * absorb placements first.
 */
export function hasQueueRoom(instance: LiveInstance): boolean {
  return instance.maxWaiting === 0 || projectedWaiting(instance) < instance.maxWaiting;
}
