import type { LiveInstance } from "@weir/placement";
import { describe, expect, it } from "vitest";
import { hasQueueRoom, projectedWaiting } from "./queue-room.js";
import { liveInstance } from "./test-support/live-instance.js";

const at = (load: Partial<LiveInstance>) => liveInstance("a", { maxConcurrency: 2, maxWaiting: 2, ...load });

describe("projectedWaiting / hasQueueRoom", () => {
  it("lets placements fill free slots before they count as waiting", () => {
    expect(projectedWaiting(at({ running: 0, inflight: 2 }))).toBe(0);
    expect(projectedWaiting(at({ running: 1, inflight: 2 }))).toBe(1);
    expect(hasQueueRoom(at({ running: 1, inflight: 2 }))).toBe(true);
    expect(hasQueueRoom(at({ running: 2, inflight: 2 }))).toBe(false);
  });

  it("counts waiting + inflight once the instance queues (all slots busy, or short of KV blocks)", () => {
    expect(hasQueueRoom(at({ running: 2, waiting: 1 }))).toBe(true);
    expect(hasQueueRoom(at({ running: 2, waiting: 1, inflight: 1 }))).toBe(false);
    expect(projectedWaiting(at({ running: 0, waiting: 1, inflight: 1 }))).toBe(2);
    expect(hasQueueRoom(at({ running: 0, waiting: 2 }))).toBe(false);
  });

  it("never fills an unbounded queue (maxWaiting 0)", () => {
    expect(hasQueueRoom(at({ maxWaiting: 0, running: 2, waiting: 500, inflight: 500 }))).toBe(true);
  });
});
