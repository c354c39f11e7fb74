import { create } from "@bufbuild/protobuf";
import { LengthGroupPlanSchema, LengthGroupSchema, type LengthGroupPlan } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { LengthGroupPlanner } from "./length-group-planner.js";

const IDS = ["i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"];

/** 90% short (≈500 tokens), 10% long (≈8000): long ones weigh far more each. */
function feed(p: LengthGroupPlanner, n: number, tier = "small", ids = IDS): void {
  for (let i = 0; i < n; i++) p.record(tier, i % 10 === 0 ? 7000 : 400, i % 10 === 0 ? 1000 : 100, ids);
}

describe("LengthGroupPlanner", () => {
  it("keeps one unbounded group of every instance until it has minSamples", () => {
    const p = new LengthGroupPlanner({ minSamples: 50 });
    feed(p, 10);
    const plan = p.currentPlan("small")!;
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]!.maxTokens).toBe(0);
    expect([...plan.groups[0]!.instanceIds]).toEqual(IDS);
  });

  it("partitions into contiguous, non-empty, increasing length groups covering every instance", () => {
    const p = new LengthGroupPlanner({ minSamples: 50, groups: 3 });
    feed(p, 200);
    const plan = p.currentPlan("small")!;
    expect(plan.groups).toHaveLength(2); // only two lengths seen: the DP cannot use a third range
    expect(plan.groups.every((g) => g.instanceIds.length >= 1)).toBe(true);
    expect(plan.groups.flatMap((g) => g.instanceIds).sort()).toEqual(IDS);
    expect(plan.groups[0]!.maxTokens).toBeGreaterThanOrEqual(500);
    expect(plan.groups[0]!.maxTokens).toBeLessThan(8000);
    expect(plan.groups[plan.groups.length - 1]!.maxTokens).toBe(0);
    expect(plan.sampleSize).toBeGreaterThanOrEqual(50); // planned once there were enough samples
  });

  it("re-plans as the length mix drifts, with a higher epoch, and tells onPlan", () => {
    const p = new LengthGroupPlanner({
      minSamples: 50,
      window: 200,
      replanEvery: 1000,
      driftCheckEvery: 10,
      driftThreshold: 0.2,
      minGroupInstances: 1,
    });
    const seen: LengthGroupPlan[] = [];
    p.onPlan((plan) => seen.push(plan));
    feed(p, 200);
    const before = p.currentPlan("small")!;
    const shortInstances = before.groups[0]!.instanceIds.length;
    // Now mostly long requests: the long group needs more instances.
    for (let i = 0; i < 200; i++) p.record("small", i % 10 === 0 ? 400 : 7000, i % 10 === 0 ? 100 : 1000, IDS);
    const after = p.currentPlan("small")!;
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect(after.groups[0]!.instanceIds.length).toBeLessThan(shortInstances);
    expect(seen[seen.length - 1]).toBe(after);
    // Bounded: a re-plan at most every driftCheckEvery requests.
    expect(seen.length).toBeLessThanOrEqual(1 + 400 / 10);
  });

  it("by default plans one group per 4 instances, each with at least 2", () => {
    const p = new LengthGroupPlanner({ minSamples: 50 });
    feed(p, 100);
    const plan = p.currentPlan("small")!;
    expect(plan.groups).toHaveLength(2);
    expect(plan.groups.every((g) => g.instanceIds.length >= 2)).toBe(true);
    feed(p, 100, "tiny", ["a", "b", "c"]);
    expect(p.currentPlan("tiny")!.groups).toHaveLength(1);
  });

  it("re-plans at once when the tier's instances change", () => {
    const p = new LengthGroupPlanner({ minSamples: 50 });
    feed(p, 100);
    const epoch = p.currentPlan("small")!.epoch;
    p.record("small", 400, 100, [...IDS, "i9"]);
    const plan = p.currentPlan("small")!;
    expect(plan.epoch).toBe(epoch + 1n);
    expect(plan.groups.flatMap((g) => g.instanceIds)).toContain("i9");
  });

  it("adopts a newer plan from another replica and ignores an older or equal one", () => {
    const p = new LengthGroupPlanner({ minSamples: 50 });
    feed(p, 100);
    const mine = p.currentPlan("small")!;
    const theirs = (epoch: bigint): LengthGroupPlan =>
      create(LengthGroupPlanSchema, {
        tier: "small",
        epoch,
        groups: [
          create(LengthGroupSchema, { maxTokens: 1024, instanceIds: IDS.slice(0, 2) }),
          create(LengthGroupSchema, { maxTokens: 0, instanceIds: IDS.slice(2) }),
        ],
      });
    expect(p.adopt(theirs(mine.epoch))).toBe(false);
    expect(p.currentPlan("small")).toBe(mine);
    const newer = theirs(mine.epoch + 5n);
    expect(p.adopt(newer)).toBe(true);
    expect(p.currentPlan("small")).toBe(newer);
    expect(p.groupIndexOf("small", "i1")).toBe(0);
    expect(p.groupIndexOf("small", "i8")).toBe(1);
    expect(p.adopt(theirs(mine.epoch + 1n))).toBe(false);
    // Its own next plan continues from the adopted epoch.
    expect(p.replan("small", IDS).epoch).toBe(mine.epoch + 6n);
  });

  it("round-trips its plan through the proto wire format", async () => {
    const { toBinary, fromBinary } = await import("@bufbuild/protobuf");
    const a = new LengthGroupPlanner({ minSamples: 50 });
    feed(a, 100);
    const wire = toBinary(LengthGroupPlanSchema, a.currentPlan("small")!);
    const b = new LengthGroupPlanner();
    expect(b.adopt(fromBinary(LengthGroupPlanSchema, wire))).toBe(true);
    expect(b.currentPlan("small")!.groups.map((g) => [g.maxTokens, [...g.instanceIds]])).toEqual(
      a.currentPlan("small")!.groups.map((g) => [g.maxTokens, [...g.instanceIds]]),
    );
  });
});
