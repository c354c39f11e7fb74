import { create } from "@bufbuild/protobuf";
import { parseConfig } from "@weir/config";
import { ErrorCode } from "@weir/errors";
import { InstanceRegistry } from "@weir/placement";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { PlaceRequestSchema, WorkerHeartbeatSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { createPlacer, type PlaceResult } from "./placer.js";
import type { CachedPrefix } from "./prefix-lookup.js";
import { createTierPolicies } from "./tier-policies.js";
import { WarmupBudget } from "./warmup-budget.js";

interface Load {
  running?: number;
  waiting?: number;
  maxConcurrency?: number;
  maxWaiting?: number;
}

function setup(schedulerYaml = "{}", options: { match?: Map<string, number> } = {}) {
  const config = parseConfig(`tiers:\n  - name: small\n    model: m\n  - name: large\n    model: l\nscheduler: ${schedulerYaml}\n`);
  let t = 1_000_000;
  const registry = new InstanceRegistry({ expireAfterMs: 3000, now: () => t });
  const warmups = new WarmupBudget({ maxInFlight: config.scheduler.maxWarmupsInFlight, leaseMs: 2000, now: () => t });
  const lookups: string[] = [];
  const placer = createPlacer({
    registry,
    policies: createTierPolicies(config.scheduler, ["small", "large"]),
    warmups,
    heartbeatTimeoutMs: 3000,
    fullRetryAfterMs: 1000,
    lookupPrefix: async (tier): Promise<CachedPrefix | undefined> => {
      lookups.push(tier);
      return options.match ? { byInstance: options.match, blockSize: 16 } : undefined;
    },
  });
  let seq = 0;
  const worker = (id: string, load: Load = {}, tier = "small") =>
    registry.upsert(
      create(WorkerHeartbeatSchema, {
        instanceId: id,
        tier,
        address: `${id}:1`,
        load: { running: 0, waiting: 0, maxConcurrency: 2, maxWaiting: 0, ...load },
        sequence: BigInt(++seq),
      }),
    );
  const place = (init: Omit<MessageInitShape<typeof PlaceRequestSchema>, "$typeName"> = {}) =>
    placer.place(create(PlaceRequestSchema, { tier: "small", promptTokens: 100, ...init }));
  return { registry, warmups, lookups, worker, place, advance: (ms: number) => (t += ms) };
}

function placed(r: PlaceResult): string {
  if (!r.ok) throw new Error(`not placed: ${r.error.message}`);
  return r.placement.instanceId;
}

describe("createPlacer", () => {
  it("places with the tier's policy and says which and why", async () => {
    const { worker, place } = setup("{ policy: round-robin, tierOverrides: [{ name: large, policy: least-loaded }] }");
    worker("a");
    worker("b");
    worker("l1", {}, "large");
    const r = await place();
    expect(r).toMatchObject({ ok: true, policy: "round-robin", outcome: "placed" });
    if (!r.ok) return;
    expect(r.placement).toMatchObject({ instanceId: "a", tier: "small", address: "a:1", policy: "round-robin", lengthGroup: "" });
    expect(r.placement.reason).toMatch(/round-robin turn \(2 of 2 live instance\(s\) eligible\)/);
    expect(placed(await place())).toBe("b");
    expect(await place({ tier: "large" })).toMatchObject({ ok: true, policy: "least-loaded" });
  });

  it("asks the KV index only when the policy uses it and there is a choice", async () => {
    const hashes = { blockHashes: [1n, 2n, 3n] };
    const rr = setup("{ policy: round-robin }");
    rr.worker("a");
    rr.worker("b");
    await rr.place(hashes);
    expect(rr.lookups).toEqual([]);

    const pa = setup("{ policy: prefix-aware }", { match: new Map([["b", 3]]) });
    pa.worker("a");
    await pa.place(hashes);
    expect(pa.lookups).toEqual([]); // one candidate: nothing to choose
    pa.worker("b");
    const r = await pa.place(hashes);
    expect(pa.lookups).toEqual(["small"]);
    expect(r.ok && r.placement).toMatchObject({ instanceId: "b", cachedPrefixTokens: 48 });
  });

  it("refuses with RESOURCE_EXHAUSTED when every untried instance's queue is full, and places on one with room", async () => {
    const { worker, place } = setup();
    worker("a", { running: 2, waiting: 1, maxWaiting: 1 });
    worker("b", { running: 2, waiting: 0, maxWaiting: 1 });
    expect(placed(await place())).toBe("b"); // b's queue had one place: now taken (inflight)
    const r = await place();
    expect(r).toMatchObject({ ok: false, outcome: "full", policy: "least-loaded" });
    if (r.ok) return;
    expect(r.error.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(r.error.retryAfterMs).toBe(1000);
    expect(r.error.message).toBe(
      'tier "small" is full: all 2 live instances already queue as many requests as worker.maxWaiting (1) allows; retry after 1 s or add instances',
    );
  });

  it("says UNAVAILABLE, not full, when nothing is live or everything was tried", async () => {
    const { worker, place } = setup();
    const none = await place();
    expect(none).toMatchObject({ ok: false, outcome: "no_instance" });
    expect(!none.ok && none.error.code).toBe(ErrorCode.UNAVAILABLE);
    worker("a");
    const tried = await place({ excludeInstanceIds: ["a"] });
    expect(!tried.ok && tried.error.message).toMatch(/its only live instance was already tried/);
  });

  it("bounds warm-ups per tier, refuses them on busy instances, and counts them apart", async () => {
    const { worker, place, advance } = setup("{ maxWarmupsInFlight: 1 }");
    worker("busy", { running: 2 });
    const noIdle = await place({ warmup: true });
    expect(noIdle).toMatchObject({ ok: false, outcome: "warmup_no_idle_instance" });
    expect(!noIdle.ok && noIdle.error.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(!noIdle.ok && noIdle.error.message).toMatch(/no instance of tier "small" is idle enough/);

    worker("idle");
    expect(await place({ warmup: true })).toMatchObject({ ok: true, outcome: "warmup_placed" });
    const over = await place({ warmup: true });
    expect(over).toMatchObject({ ok: false, outcome: "warmup_over_budget" });
    expect(!over.ok && over.error.message).toMatch(/already has 1 warm-ups in flight \(scheduler.maxWarmupsInFlight is 1\)/);
    expect(!over.ok && over.error.retryAfterMs).toBe(2000);
    // The lease runs out on its own: the scheduler never sees a warm-up end.
    advance(2000);
    worker("idle");
    expect(await place({ warmup: true })).toMatchObject({ ok: true, outcome: "warmup_placed" });
  });

  it("never lets a live instance that stopped heartbeating be chosen", async () => {
    const { worker, place, advance } = setup();
    worker("silent");
    advance(2000);
    worker("alive");
    advance(1500);
    for (let i = 0; i < 3; i++) expect(placed(await place())).toBe("alive");
  });
});
