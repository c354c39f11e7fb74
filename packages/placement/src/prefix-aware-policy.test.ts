import { describe, expect, it } from "vitest";
import { createPlacementPolicy } from "./create-placement-policy.js";
import { resolvePrefixWeights } from "./placement-options.js";
import { prefixCost } from "./prefix-cost.js";
import { liveInstance, placementRequest } from "./test-support/live-instance.js";

const W = resolvePrefixWeights({ decodeLoadTokens: 1000, queuedPrefillWeight: 1, overloadCutoff: 10 });

describe("prefixCost", () => {
  it("adds the prefill left after the cached prefix, the prefill queued ahead and the decode load", () => {
    const c = prefixCost(liveInstance("a", { running: 2, maxConcurrency: 4, waitingPromptTokens: 300 }), 1000, 10, 16, W);
    expect(c.newPrefillTokens).toBe(1000 - 160);
    expect(c.queuedPrefillTokens).toBe(300);
    expect(c.decodeLoadTokens).toBe(500);
    expect(c.cost).toBe(840 + 300 + 500);
  });

  it("still computes the last token on a full hit", () => {
    expect(prefixCost(liveInstance("a"), 160, 10, 16, W).newPrefillTokens).toBe(1);
  });
});

describe("prefix-aware", () => {
  const policy = () => createPlacementPolicy("prefix-aware", { prefix: { decodeLoadTokens: 1000, overloadCutoff: 10 } });

  it("follows the cached prefix when the instance holding it is not too busy", () => {
    const instances = [liveInstance("a"), liveInstance("b", { running: 1 })]; // b costs 250 more for load
    const d = policy().pick(instances, placementRequest({ promptTokens: 2000, cachedBlocks: new Map([["b", 100]]) }));
    expect(d?.instance.instanceId).toBe("b");
    expect(d?.cachedBlocks).toBe(100);
  });

  it("recomputes elsewhere when the holder's queue costs more than the hit saves", () => {
    const instances = [liveInstance("a"), liveInstance("b", { waitingPromptTokens: 50_000 })]; // × 0.1 = 5000 > 1600 saved
    const d = policy().pick(instances, placementRequest({ promptTokens: 2000, cachedBlocks: new Map([["b", 100]]) }));
    expect(d?.instance.instanceId).toBe("a");
  });

  it("prefers lower decode load when nothing is cached", () => {
    const instances = [liveInstance("a", { running: 3 }), liveInstance("b", { running: 1 })];
    expect(policy().pick(instances, placementRequest())?.instance.instanceId).toBe("b");
  });

  it("avoids instances past the overload cutoff while any other is under it", () => {
    const p = createPlacementPolicy("prefix-aware", { prefix: { decodeLoadTokens: 1, overloadCutoff: 1.5 } });
    const instances = [liveInstance("a", { running: 4, waiting: 4 }), liveInstance("b", { running: 4, waitingPromptTokens: 50_000 })];
    const d = p.pick(instances, placementRequest({ promptTokens: 2000, cachedBlocks: new Map([["a", 125]]) }));
    expect(d?.instance.instanceId).toBe("b");
  });

  it("honours exclude even for the best instance", () => {
    const instances = [liveInstance("a"), liveInstance("b")];
    const d = policy().pick(instances, placementRequest({ cachedBlocks: new Map([["a", 30]]), exclude: ["a"] }));
    expect(d?.instance.instanceId).toBe("b");
  });

  it("breaks exact ties by instanceId turns, deterministically", () => {
    const p = policy();
    const instances = [liveInstance("b"), liveInstance("a")];
    const picks = [0, 1, 2, 3].map(() => p.pick(instances, placementRequest())?.instance.instanceId);
    expect(picks).toEqual(["a", "b", "a", "b"]);
  });

  it("says why in one sentence", () => {
    const d = policy().pick([liveInstance("a")], placementRequest());
    expect(d?.reason).toMatch(/least work before first token/);
  });
});
