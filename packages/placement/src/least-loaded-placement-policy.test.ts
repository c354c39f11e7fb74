import { describe, expect, it } from "vitest";
import { createPlacementPolicy } from "./create-placement-policy.js";
import { InstanceRegistry } from "./instance-registry.js";
import { instanceLoad } from "./instance-load.js";
import { leastLoadedCandidates } from "./least-loaded-placement-policy.js";
import { heartbeat, manualClock } from "./test-support/heartbeat.js";
import { liveInstance, placementRequest } from "./test-support/live-instance.js";

describe("instanceLoad", () => {
  it("is (running + waiting + inflight) / max(1, maxConcurrency)", () => {
    expect(instanceLoad(liveInstance("a", { running: 2, waiting: 1, inflight: 1, maxConcurrency: 8 }))).toBe(0.5);
    expect(instanceLoad(liveInstance("a", { running: 3, maxConcurrency: 0 }))).toBe(3);
  });
});

describe("leastLoadedCandidates", () => {
  it("keeps every instance tied on load and cached blocks, in instanceId order", () => {
    const xs = [liveInstance("c"), liveInstance("a"), liveInstance("b", { running: 1 })];
    expect(leastLoadedCandidates(xs).map((x) => x.instanceId)).toEqual(["a", "c"]);
    expect(leastLoadedCandidates(xs, new Map([["c", 2]])).map((x) => x.instanceId)).toEqual(["c"]);
    expect(leastLoadedCandidates([])).toEqual([]);
  });
});

describe("least-loaded policy", () => {
  it("treats cache only as a tie-break: a busier holder of more blocks loses", () => {
    const policy = createPlacementPolicy("least-loaded");
    const xs = [liveInstance("a", { running: 1 }), liveInstance("b", { running: 1 }), liveInstance("c", { running: 2 })];
    const cachedBlocks = new Map([["a", 3], ["b", 10], ["c", 99]]);
    expect(policy.pick(xs, placementRequest({ cachedBlocks }))?.instance.instanceId).toBe("b");
  });

  it("rotates only among the best: a busier instance is never picked", () => {
    const policy = createPlacementPolicy("least-loaded");
    const xs = [liveInstance("a"), liveInstance("b"), liveInstance("busy", { running: 1 })];
    const picks = new Set(Array.from({ length: 10 }, () => policy.pick(xs, placementRequest())?.instance.instanceId));
    expect(picks).toEqual(new Set(["a", "b"]));
  });

  it("keeps one rotation per tier", () => {
    const policy = createPlacementPolicy("least-loaded");
    const small = [liveInstance("s1"), liveInstance("s2")];
    const large = [liveInstance("l1", { tier: "large" }), liveInstance("l2", { tier: "large" })];
    const pick = (xs: typeof small, tier: string) => policy.pick(xs, placementRequest({ tier }))?.instance.instanceId;
    expect([pick(small, "small"), pick(large, "large"), pick(small, "small"), pick(large, "large")]).toEqual(["s1", "l1", "s2", "l2"]);
  });

  it("spreads a burst between heartbeats over idle instances (with the registry's notePlaced)", () => {
    const clock = manualClock();
    const registry = new InstanceRegistry({ expireAfterMs: 3000, now: clock.now });
    for (const id of ["a", "b", "c"]) registry.upsert(heartbeat({ id, sequence: 1, maxConcurrency: 4 }));
    registry.upsert(heartbeat({ id: "a", sequence: 2, running: 1, maxConcurrency: 4 }));
    registry.upsert(heartbeat({ id: "c", sequence: 2, running: 1, maxConcurrency: 4 }));
    const policy = createPlacementPolicy("least-loaded");
    const picks: string[] = [];
    for (let i = 0; i < 9; i++) {
      const chosen = policy.pick(registry.live("small"), placementRequest());
      if (!chosen) throw new Error("nothing picked");
      registry.notePlaced(chosen.instance.instanceId);
      picks.push(chosen.instance.instanceId);
    }
    // Without notePlaced every pick would go to b until its next heartbeat.
    expect(picks[0]).toBe("b");
    expect(new Set(picks.slice(1, 4))).toEqual(new Set(["a", "b", "c"]));
    const loads = registry.live("small").map((x) => x.running + x.inflight);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });
});
