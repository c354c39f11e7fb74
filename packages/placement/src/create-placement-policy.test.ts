import { describe, expect, it } from "vitest";
import { createPlacementPolicy } from "./create-placement-policy.js";
import { PLACEMENT_POLICY_NAMES } from "./placement-policy.js";
import { liveInstance, placementRequest } from "./test-support/live-instance.js";

const ids = (xs: ReadonlyArray<{ instance: { instanceId: string } } | undefined>) => xs.map((x) => x?.instance.instanceId);

describe("createPlacementPolicy", () => {
  it("creates every named policy with that name", () => {
    for (const name of PLACEMENT_POLICY_NAMES) expect(createPlacementPolicy(name).name).toBe(name);
  });

  it("returns undefined for every policy when nothing is eligible", () => {
    for (const name of PLACEMENT_POLICY_NAMES) {
      const policy = createPlacementPolicy(name);
      expect(policy.pick([], placementRequest())).toBeUndefined();
      expect(policy.pick([liveInstance("a")], placementRequest({ exclude: ["a"] }))).toBeUndefined();
      expect(policy.pick([liveInstance("a", { tier: "big" })], placementRequest())).toBeUndefined();
    }
  });

  it("never places a warm-up on an instance at or above warmupMaxLoad, for every policy", () => {
    const busy = [liveInstance("a", { running: 2 }), liveInstance("b", { running: 3 })]; // loads 0.5, 0.75
    for (const name of PLACEMENT_POLICY_NAMES) {
      expect(createPlacementPolicy(name).pick(busy, placementRequest({ warmup: true }))).toBeUndefined();
      expect(createPlacementPolicy(name, { warmupMaxLoad: 0.6 }).pick(busy, placementRequest({ warmup: true }))?.instance.instanceId).toBe("a");
    }
  });

  it("never places a warm-up where prefill is queued (beyond warmupMaxQueuedPrefillTokens), for every policy", () => {
    const queued = [liveInstance("a", { waitingPromptTokens: 4096 }), liveInstance("b", { waitingPromptTokens: 512 })];
    for (const name of PLACEMENT_POLICY_NAMES) {
      expect(createPlacementPolicy(name).pick(queued, placementRequest({ warmup: true }))).toBeUndefined();
      const lenient = createPlacementPolicy(name, { warmupMaxQueuedPrefillTokens: 1024 });
      expect(lenient.pick(queued, placementRequest({ warmup: true }))?.instance.instanceId).toBe("b");
      // Real traffic is not held to the warm-up rule.
      expect(createPlacementPolicy(name).pick(queued, placementRequest())).toBeDefined();
    }
  });
});

describe("round-robin", () => {
  it("takes turns per tier in instanceId order, whatever the listing order", () => {
    const policy = createPlacementPolicy("round-robin");
    const small = [liveInstance("c"), liveInstance("a"), liveInstance("b")];
    const big = [liveInstance("x", { tier: "big" }), liveInstance("y", { tier: "big" })];
    const picks = [
      policy.pick(small, placementRequest()),
      policy.pick(big, placementRequest({ tier: "big" })),
      policy.pick(small, placementRequest()),
      policy.pick(small, placementRequest()),
      policy.pick(big, placementRequest({ tier: "big" })),
      policy.pick(small, placementRequest()),
    ];
    expect(ids(picks)).toEqual(["a", "x", "b", "c", "y", "a"]);
  });

  it("ignores load and cache", () => {
    const policy = createPlacementPolicy("round-robin");
    const instances = [liveInstance("a", { running: 100 }), liveInstance("b")];
    const cachedBlocks = new Map([["b", 30]]);
    expect(policy.pick(instances, placementRequest({ cachedBlocks }))?.instance.instanceId).toBe("a");
    expect(policy.usesPrefixIndex).toBe(false);
  });
});

describe("least-loaded", () => {
  it("picks the least load relative to capacity, counting inflight placements", () => {
    const policy = createPlacementPolicy("least-loaded");
    const instances = [
      liveInstance("a", { running: 2, maxConcurrency: 2 }),
      liveInstance("b", { running: 1, inflight: 2, maxConcurrency: 8 }), // 0.375
      liveInstance("c", { running: 1, waiting: 1, maxConcurrency: 4 }), // 0.5
    ];
    expect(policy.pick(instances, placementRequest())?.instance.instanceId).toBe("b");
  });

  it("breaks load ties by the most cached blocks and reports them", () => {
    const policy = createPlacementPolicy("least-loaded");
    const instances = [liveInstance("a", { running: 1 }), liveInstance("b", { running: 1 }), liveInstance("c", { running: 2 })];
    const cachedBlocks = new Map([["a", 3], ["b", 10], ["c", 99]]);
    const d = policy.pick(instances, placementRequest({ cachedBlocks }));
    expect(d?.instance.instanceId).toBe("b");
    expect(d?.cachedBlocks).toBe(10);
  });

  it("spreads remaining ties round-robin", () => {
    const policy = createPlacementPolicy("least-loaded");
    const instances = [liveInstance("b"), liveInstance("a")];
    expect(ids([1, 2, 3].map(() => policy.pick(instances, placementRequest())))).toEqual(["a", "b", "a"]);
  });
});
