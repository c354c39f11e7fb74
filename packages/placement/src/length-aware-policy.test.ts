import { describe, expect, it } from "vitest";
import { createPlacementPolicy } from "./create-placement-policy.js";
import type { LiveInstance } from "./live-instance.js";
import type { PlacementPolicy } from "./placement-policy.js";
import { liveInstance, placementRequest } from "./test-support/live-instance.js";

const IDS = ["i1", "i2", "i3", "i4"];

/** A length-aware policy already planned on a 50/50 mix of short (≈500) and long (≈6000) requests. */
function trained(name: "length-aware" | "prefix-length-aware" = "length-aware"): { policy: PlacementPolicy; instances: LiveInstance[] } {
  const policy = createPlacementPolicy(name, { lengthGroups: { groups: 2, minSamples: 20, replanEvery: 10_000 } });
  const instances = IDS.map((id) => liveInstance(id));
  for (let i = 0; i < 40; i++) {
    policy.pick(instances, placementRequest({ promptTokens: i % 2 === 0 ? 400 : 5900, predictedOutputTokens: 100 }));
  }
  return { policy, instances };
}

function groupsOf(policy: PlacementPolicy) {
  return policy.lengthGroups!.currentPlan("small")!.groups;
}

describe("length-aware", () => {
  it("splits the tier into a short and a long group and sends each request to its own", () => {
    const { policy, instances } = trained();
    const [short, long] = groupsOf(policy);
    expect(short!.maxTokens).toBeGreaterThanOrEqual(500);
    expect(short!.maxTokens).toBeLessThan(6000);
    const s = policy.pick(instances, placementRequest({ promptTokens: 300, predictedOutputTokens: 100 }))!;
    const l = policy.pick(instances, placementRequest({ promptTokens: 5000, predictedOutputTokens: 900 }))!;
    expect(short!.instanceIds).toContain(s.instance.instanceId);
    expect(long!.instanceIds).toContain(l.instance.instanceId);
    expect(s.lengthGroup).toBe(`≤${short!.maxTokens}`);
    expect(s.lengthGroupMaxTokens).toBe(short!.maxTokens);
    expect(l.lengthGroup).toBe(`>${short!.maxTokens}`);
    expect(l.lengthGroupMaxTokens).toBeUndefined();
  });

  it("is least-loaded within the group", () => {
    const { policy } = trained();
    const long = groupsOf(policy)[1]!.instanceIds;
    const instances = IDS.map((id) => liveInstance(id, { running: id === long[long.length - 1] ? 0 : 3 }));
    const d = policy.pick(instances, placementRequest({ promptTokens: 5000, predictedOutputTokens: 900 }))!;
    expect(d.instance.instanceId).toBe(long[long.length - 1]);
  });

  it("spills a short request up to the long group when its own group is overloaded", () => {
    const { policy } = trained();
    const short = new Set(groupsOf(policy)[0]!.instanceIds);
    const instances = IDS.map((id) => liveInstance(id, short.has(id) ? { running: 4, waiting: 8 } : {}));
    const d = policy.pick(instances, placementRequest({ promptTokens: 300, predictedOutputTokens: 100 }))!;
    expect(short.has(d.instance.instanceId)).toBe(false);
    expect(d.reason).toMatch(/spilled/);
  });

  it("spills a long prompt down when the long group is overloaded, without a bound it already passes", () => {
    const { policy } = trained();
    const long = new Set(groupsOf(policy)[1]!.instanceIds);
    const instances = IDS.map((id) => liveInstance(id, long.has(id) ? { running: 4, waiting: 8 } : {}));
    const d = policy.pick(instances, placementRequest({ promptTokens: 5000, predictedOutputTokens: 900 }))!;
    expect(long.has(d.instance.instanceId)).toBe(false);
    expect(d.lengthGroupMaxTokens).toBeUndefined();
  });

  it("stays home while the groups' queued work is within the spill margin", () => {
    const { policy } = trained();
    const long = new Set(groupsOf(policy)[1]!.instanceIds);
    // 1000 prompt tokens queued on each long instance: under the 2048-token margin.
    const instances = IDS.map((id) => liveInstance(id, long.has(id) ? { waitingPromptTokens: 1000 } : {}));
    const d = policy.pick(instances, placementRequest({ promptTokens: 5000, predictedOutputTokens: 900 }))!;
    expect(long.has(d.instance.instanceId)).toBe(true);
  });

  it("estimates a missing output length from what it observed", () => {
    const { policy, instances } = trained();
    const [short] = groupsOf(policy);
    // Prompts of 300 tokens have been producing 5000-token answers: they belong in the long group.
    for (let i = 0; i < 100; i++) policy.observe!(placementRequest({ promptTokens: 300 }), 5000);
    const d = policy.pick(instances, placementRequest({ promptTokens: 300 }))!;
    expect(short!.instanceIds).not.toContain(d.instance.instanceId);
  });

  it("names a longer group's instance when a request outgrows its group, and none when it still fits", () => {
    const { policy, instances } = trained();
    const [short, long] = groupsOf(policy);
    const from = short!.instanceIds[0]!;
    const req = { ...placementRequest({ promptTokens: 300, predictedOutputTokens: 100 }), currentInstanceId: from };
    expect(policy.migrationTarget!(instances, { ...req, contextTokens: 400 })).toBeUndefined();
    const to = policy.migrationTarget!(instances, { ...req, contextTokens: short!.maxTokens + 1 })!;
    expect(long!.instanceIds).toContain(to.instance.instanceId);
    expect(to.instance.instanceId).not.toBe(from);
  });

  it("prefix-length-aware follows the cached prefix within the group", () => {
    const { policy } = trained("prefix-length-aware");
    expect(policy.usesPrefixIndex).toBe(true);
    const long = groupsOf(policy)[1]!.instanceIds;
    const holder = long[long.length - 1]!;
    const instances = IDS.map((id) => liveInstance(id));
    const d = policy.pick(instances, placementRequest({ promptTokens: 5000, predictedOutputTokens: 900, cachedBlocks: new Map([[holder, 300]]) }))!;
    expect(d.instance.instanceId).toBe(holder);
    expect(d.cachedBlocks).toBe(300);
  });
});
