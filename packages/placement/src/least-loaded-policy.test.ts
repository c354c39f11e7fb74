import { describe, expect, it } from "vitest";
import { InstanceRegistry } from "./instance-registry.js";
import { createLeastLoadedPolicy, instanceLoad, leastLoaded } from "./least-loaded-policy.js";
import type { LiveInstance } from "./live-instance.js";
import { heartbeat, manualClock } from "./test-support/heartbeat.js";

function instance(id: string, load: Partial<LiveInstance> = {}): LiveInstance {
  return {
    instanceId: id,
    tier: "small",
    address: `${id}:1`,
    model: "m",
    engine: "placeholder",
    running: 0,
    waiting: 0,
    maxConcurrency: 4,
    kvUsage: 0,
    kvBlocksTotal: 0,
    waitingPromptTokens: 0,
    maxWaiting: 0,
    lastSeenMs: 0,
    inflight: 0,
    ...load,
  };
}

describe("instanceLoad", () => {
  it("is (running + waiting + inflight) / max(1, maxConcurrency)", () => {
    expect(instanceLoad(instance("a", { running: 2, waiting: 1, inflight: 1, maxConcurrency: 8 }))).toBe(0.5);
    expect(instanceLoad(instance("a", { running: 3, maxConcurrency: 0 }))).toBe(3);
  });
});

describe("leastLoaded", () => {
  it("picks the lowest load relative to capacity", () => {
    const busySmall = instance("a", { running: 2, maxConcurrency: 2 }); // 1.0
    const busyBig = instance("b", { running: 4, maxConcurrency: 16 }); // 0.25
    const mid = instance("c", { running: 1, waiting: 1, maxConcurrency: 4 }); // 0.5
    expect(leastLoaded([busySmall, busyBig, mid])?.instanceId).toBe("b");
  });

  it("returns undefined when there is nothing to pick", () => {
    expect(leastLoaded([])).toBeUndefined();
    expect(leastLoaded([instance("a")], { exclude: ["a"] })).toBeUndefined();
  });

  it("skips excluded instances even when they are the least loaded", () => {
    const idle = instance("idle");
    const busy = instance("busy", { running: 3 });
    expect(leastLoaded([idle, busy], { exclude: ["idle"] })?.instanceId).toBe("busy");
  });

  it("breaks load ties by the most cached blocks", () => {
    const a = instance("a", { running: 1 });
    const b = instance("b", { running: 1 });
    const c = instance("c", { running: 2 });
    const cachedBlocks = new Map([
      ["a", 3],
      ["b", 10],
      ["c", 99],
    ]);
    // c holds the most but is busier: cache is only a tie-break here.
    expect(leastLoaded([a, b, c], { cachedBlocks })?.instanceId).toBe("b");
  });

  it("is deterministic without a policy: the lowest instanceId wins a full tie", () => {
    expect(leastLoaded([instance("z"), instance("m"), instance("q")])?.instanceId).toBe("m");
  });
});

describe("createLeastLoadedPolicy", () => {
  it("rotates round-robin over instances still tied, whatever order they are listed in", () => {
    const policy = createLeastLoadedPolicy();
    const xs = [instance("a"), instance("b"), instance("c")];
    const picks = [0, 1, 2, 3, 4, 5].map((i) =>
      policy.pick(i % 2 === 0 ? xs : [...xs].reverse())?.instanceId,
    );
    expect(picks).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("rotates only among the best: a busier instance is never picked", () => {
    const policy = createLeastLoadedPolicy();
    const xs = [instance("a"), instance("b"), instance("busy", { running: 1 })];
    const picks = new Set(Array.from({ length: 10 }, () => policy.pick(xs)?.instanceId));
    expect(picks).toEqual(new Set(["a", "b"]));
  });

  it("rotates among instances tied on load and cached blocks", () => {
    const policy = createLeastLoadedPolicy();
    const xs = [instance("a"), instance("b"), instance("c")];
    const cachedBlocks = new Map([
      ["b", 4],
      ["c", 4],
    ]);
    const picks = Array.from({ length: 4 }, () => policy.pick(xs, { cachedBlocks })?.instanceId);
    expect(picks).toEqual(["b", "c", "b", "c"]);
  });

  it("keeps one rotation per tier", () => {
    const policy = createLeastLoadedPolicy();
    const small = [instance("s1"), instance("s2")];
    const large = [instance("l1", { tier: "large" }), instance("l2", { tier: "large" })];
    expect(policy.pick(small)?.instanceId).toBe("s1");
    expect(policy.pick(large)?.instanceId).toBe("l1");
    expect(policy.pick(small)?.instanceId).toBe("s2");
    expect(policy.pick(large)?.instanceId).toBe("l2");
  });

  it("honours exclude and returns undefined when everything is excluded", () => {
    const policy = createLeastLoadedPolicy();
    const xs = [instance("a"), instance("b")];
    expect(policy.pick(xs, { exclude: ["a"] })?.instanceId).toBe("b");
    expect(policy.pick(xs, { exclude: ["a", "b"] })).toBeUndefined();
  });

  it("spreads a burst between heartbeats over idle instances (with notePlaced)", () => {
    const clock = manualClock();
    const registry = new InstanceRegistry({ expireAfterMs: 3000, now: clock.now });
    for (const id of ["a", "b", "c"]) registry.upsert(heartbeat({ id, sequence: 1, maxConcurrency: 4 }));
    // Make "b" the only one a load-only pick would choose, then burst.
    registry.upsert(heartbeat({ id: "a", sequence: 2, running: 1, maxConcurrency: 4 }));
    registry.upsert(heartbeat({ id: "c", sequence: 2, running: 1, maxConcurrency: 4 }));
    const policy = createLeastLoadedPolicy();
    const picks: string[] = [];
    for (let i = 0; i < 9; i++) {
      const chosen = policy.pick(registry.live("small"));
      if (!chosen) throw new Error("nothing picked");
      registry.notePlaced(chosen.instanceId);
      picks.push(chosen.instanceId);
    }
    // Without notePlaced every pick would go to b until its next heartbeat.
    // With it, b first levels with a and c, then the burst spreads evenly.
    expect(picks[0]).toBe("b");
    expect(new Set(picks.slice(1, 4))).toEqual(new Set(["a", "b", "c"]));
    const loads = registry.live("small").map((x) => x.running + x.inflight);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((s, x) => s + x, 0)).toBe(11);
  });
});
