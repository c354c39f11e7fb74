import { describe, expect, it } from "vitest";
import { InstanceRegistry } from "./instance-registry.js";
import { heartbeat, manualClock } from "./test-support/heartbeat.js";

function setup() {
  const clock = manualClock();
  const registry = new InstanceRegistry({ expireAfterMs: 3000, now: clock.now });
  return { clock, registry };
}

const ids = (xs: { instanceId: string }[]) => xs.map((x) => x.instanceId).sort();

describe("InstanceRegistry", () => {
  it("turns a heartbeat into a live instance", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1, running: 2, waiting: 1, maxConcurrency: 8 }));
    expect(registry.live("small")).toEqual([
      {
        instanceId: "a",
        tier: "small",
        address: "127.0.0.1:5001",
        model: "test-model",
        engine: "placeholder",
        running: 2,
        waiting: 1,
        maxConcurrency: 8,
        kvUsage: 0.25,
        kvBlocksTotal: 0,
        waitingPromptTokens: 0,
        maxWaiting: 0,
        lastSeenMs: clock.now(),
        inflight: 0,
      },
    ]);
    expect(registry.live("large")).toEqual([]);
    expect(registry.tiers()).toEqual(["small"]);
  });

  it("keeps tiers apart and lists them sorted", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "s1", tier: "small", sequence: 1 }));
    registry.upsert(heartbeat({ id: "l1", tier: "large", sequence: 1 }));
    expect(ids(registry.live("small"))).toEqual(["s1"]);
    expect(ids(registry.live("large"))).toEqual(["l1"]);
    expect(registry.tiers()).toEqual(["large", "small"]);
  });

  it("never returns an expired instance, even before expire() runs", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    clock.advance(3000);
    expect(ids(registry.live("small"))).toEqual(["a"]);
    clock.advance(1);
    expect(registry.live("small")).toEqual([]);
    expect(registry.counts("small")).toEqual({ live: 0, draining: 0 });
    // Still known until expire() frees it.
    expect(registry.tiers()).toEqual(["small"]);
    expect(registry.expire()).toEqual(["a"]);
    expect(registry.tiers()).toEqual([]);
  });

  it("expire() drops only the silent instances", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "old", sequence: 1 }));
    clock.advance(2000);
    registry.upsert(heartbeat({ id: "new", sequence: 1 }));
    clock.advance(1500);
    expect(registry.expire()).toEqual(["old"]);
    expect(ids(registry.live("small"))).toEqual(["new"]);
  });

  it("ignores heartbeats that arrive out of order or twice", () => {
    const { registry } = setup();
    const running = () => registry.live("small")[0]?.running;
    registry.upsert(heartbeat({ id: "a", sequence: 2, running: 3 }));
    registry.upsert(heartbeat({ id: "a", sequence: 1, running: 0 }));
    expect(running()).toBe(3);
    registry.upsert(heartbeat({ id: "a", sequence: 2, running: 0 }));
    expect(running()).toBe(3);
    registry.upsert(heartbeat({ id: "a", sequence: 3, running: 1 }));
    expect(running()).toBe(1);
  });

  it("refreshes lastSeen on each accepted heartbeat", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    clock.advance(2500);
    registry.upsert(heartbeat({ id: "a", sequence: 2 }));
    clock.advance(2500);
    expect(ids(registry.live("small"))).toEqual(["a"]);
    // A stale duplicate does not keep an instance alive.
    registry.upsert(heartbeat({ id: "a", sequence: 2 }));
    clock.advance(600);
    expect(registry.live("small")).toEqual([]);
  });

  it("accepts a restarted instance (sequence back at 1) once the old one expired", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 50 }));
    clock.advance(3001);
    registry.upsert(heartbeat({ id: "a", sequence: 1, running: 2 }));
    expect(registry.live("small")[0]?.running).toBe(2);
  });

  it("keeps a draining instance known but not placeable", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    registry.upsert(heartbeat({ id: "b", sequence: 1 }));
    registry.upsert(heartbeat({ id: "a", sequence: 2, draining: true }));
    expect(ids(registry.live("small"))).toEqual(["b"]);
    expect(registry.counts("small")).toEqual({ live: 1, draining: 1 });
    expect(registry.tiers()).toEqual(["small"]);
  });

  it("moves an instance that reports a different tier", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "a", tier: "small", sequence: 1 }));
    registry.upsert(heartbeat({ id: "a", tier: "large", sequence: 2 }));
    expect(registry.live("small")).toEqual([]);
    expect(ids(registry.live("large"))).toEqual(["a"]);
    expect(registry.tiers()).toEqual(["large"]);
  });

  it("remove() forgets an instance at once", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    registry.remove("a");
    registry.remove("a"); // unknown by now: harmless
    expect(registry.live("small")).toEqual([]);
    expect(registry.tiers()).toEqual([]);
  });

  it("counts placements in flight until the next heartbeat", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    registry.notePlaced("a");
    registry.notePlaced("a");
    registry.notePlaced("unknown"); // harmless
    expect(registry.live("small")[0]?.inflight).toBe(2);
    registry.upsert(heartbeat({ id: "a", sequence: 2, running: 2 }));
    expect(registry.live("small")[0]).toMatchObject({ inflight: 0, running: 2 });
  });

  it("hands out snapshots the caller cannot use to change the registry", () => {
    const { registry } = setup();
    registry.upsert(heartbeat({ id: "a", sequence: 1 }));
    const snapshot = registry.live("small")[0];
    registry.notePlaced("a");
    expect(snapshot?.inflight).toBe(0);
    expect(registry.live("small")[0]?.inflight).toBe(1);
  });

  it("counts a heartbeat read late (ageMs) as seen that long ago", () => {
    const { clock, registry } = setup();
    registry.upsert(heartbeat({ id: "dead", sequence: 9 }), 60_000);
    registry.upsert(heartbeat({ id: "recent", sequence: 9 }), 2500);
    expect(ids(registry.live("small"))).toEqual(["recent"]);
    clock.advance(501);
    expect(registry.live("small")).toEqual([]);
  });

  it("rejects a non-positive expiry window", () => {
    expect(() => new InstanceRegistry({ expireAfterMs: 0 })).toThrow(RangeError);
  });
});
