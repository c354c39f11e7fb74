import { create } from "@bufbuild/protobuf";
import { connectBus, openInstanceDirectory, type Bus, type InstanceDirectory } from "@weir/bus";
import { parseConfig, type WeirConfig } from "@weir/config";
import { PlaceRequestSchema } from "@weir/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSchedulerCore, type SchedulerCore } from "./scheduler-core.js";
import { FakeWorker } from "./test-support/fake-worker.js";
import { startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";

// Two scheduler replicas in this process, each on its own NATS connection to
// one nats-server, fed by the same instance directory and plans bucket.
const HEARTBEAT_MS = 100;
const TIMEOUT_MS = 500;

let nats: NatsServerHandle;
let config: WeirConfig;
let testBus: Bus;
let directory: InstanceDirectory;
const buses: Bus[] = [];
const replicas: SchedulerCore[] = [];
const workers: FakeWorker[] = [];

async function replica(name: string): Promise<SchedulerCore> {
  const bus = await connectBus({ name, url: nats.url });
  buses.push(bus);
  const core = await startSchedulerCore(bus, config);
  replicas.push(core);
  await core.whenCaughtUp;
  return core;
}

async function worker(id: string, tier: string, load: ConstructorParameters<typeof FakeWorker>[3] = {}): Promise<FakeWorker> {
  const w = new FakeWorker(directory, id, tier, load);
  workers.push(w);
  await w.start(HEARTBEAT_MS);
  return w;
}

const liveIds = (core: SchedulerCore, tier: string) =>
  core.registry
    .live(tier)
    .map((i) => i.instanceId)
    .sort();

async function placeOn(core: SchedulerCore, tier: string, promptTokens = 100): Promise<string> {
  const r = await core.placer.place(create(PlaceRequestSchema, { requestId: "r", tier, promptTokens }));
  if (!r.ok) throw r.error;
  return r.placement.instanceId;
}

beforeAll(async () => {
  nats = await startNatsServer();
  config = parseConfig(`
tiers:
  - { name: small, model: m }
  - { name: long, model: l }
scheduler:
  heartbeatTimeoutMs: ${TIMEOUT_MS}
  tierOverrides: [{ name: long, policy: length-aware }]
  policyOptions: { lengthGroups: { groups: 2, minSamples: 4, replanEvery: 1000, driftCheckEvery: 1000 } }
worker: { heartbeatIntervalMs: ${HEARTBEAT_MS} }
nats: { url: "${nats.url}" }
`);
  testBus = await connectBus({ name: "test", url: nats.url });
  directory = await openInstanceDirectory(testBus);
});

afterAll(async () => {
  for (const w of workers) w.silence();
  await Promise.allSettled(replicas.map((r) => r.stop()));
  await Promise.allSettled([...buses, testBus].map((b) => b?.close()));
  await nats?.stop();
});

describe("two scheduler replicas sharing the instance directory", () => {
  let r1: SchedulerCore;
  let r2: SchedulerCore;

  it("see the same instances, whether they started before the workers or after", async () => {
    r1 = await replica("scheduler-1");
    await worker("a", "small", { running: 2 });
    await worker("b", "small", { running: 0 });
    await worker("c", "small", { running: 1 });
    r2 = await replica("scheduler-2"); // reads the existing entries on catch-up
    await waitFor(() => liveIds(r1, "small").length === 3, { timeoutMs: 10_000 });
    expect(liveIds(r1, "small")).toEqual(["a", "b", "c"]);
    expect(liveIds(r2, "small")).toEqual(["a", "b", "c"]);
  });

  it("make the same choice for the same request given the same state", async () => {
    expect(await placeOn(r1, "small")).toBe("b");
    expect(await placeOn(r2, "small")).toBe("b");
    // b gets busy: once both replicas have heard, both move to c.
    await workers.find((w) => w.instanceId === "b")?.setLoad({ running: 4 });
    const sawBusy = (core: SchedulerCore) => core.registry.live("small").find((i) => i.instanceId === "b")?.running === 4;
    await waitFor(() => sawBusy(r1) && sawBusy(r2), { timeoutMs: 10_000 });
    expect(await placeOn(r1, "small")).toBe("c");
    expect(await placeOn(r2, "small")).toBe("c");
  });

  it("drop a worker that stops heartbeating within heartbeatTimeoutMs (plus one interval of delivery slack)", async () => {
    const c = workers.find((w) => w.instanceId === "c");
    if (!c) throw new Error("no worker c");
    c.silence();
    const bound = c.lastPutAt + TIMEOUT_MS + HEARTBEAT_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, bound - Date.now())));
    expect(liveIds(r1, "small")).toEqual(["a", "b"]);
    expect(liveIds(r2, "small")).toEqual(["a", "b"]);
    for (let i = 0; i < 4; i++) {
      expect(await placeOn(r1, "small")).not.toBe("c");
      expect(await placeOn(r2, "small")).not.toBe("c");
    }
  });

  it("drop a worker that leaves cleanly as soon as its key is deleted", async () => {
    await workers.find((w) => w.instanceId === "a")?.leave();
    await waitFor(() => liveIds(r1, "small").length === 1 && liveIds(r2, "small").length === 1, { timeoutMs: 2000 });
    expect(liveIds(r2, "small")).toEqual(["b"]);
  });
});

describe("two scheduler replicas sharing length-group plans", () => {
  const planOf = (core: SchedulerCore) => core.planners.get("long")?.currentPlan("long");
  const groupsOf = (core: SchedulerCore) => planOf(core)?.groups.map((g) => ({ maxTokens: g.maxTokens, ids: [...g.instanceIds] }));

  it("adopt the plan the other computed", async () => {
    const [r1, r2] = replicas;
    if (!r1 || !r2) throw new Error("replicas not started");
    for (const id of ["l1", "l2", "l3", "l4"]) await worker(id, "long");
    await waitFor(() => liveIds(r1, "long").length === 4 && liveIds(r2, "long").length === 4, { timeoutMs: 10_000 });
    // Short and long requests on r1 only, until its planner splits the tier in two.
    for (const promptTokens of [100, 120, 6000, 7000, 90, 6500]) await placeOn(r1, "long", promptTokens);
    expect(planOf(r1)?.groups.length).toBe(2);
    await r1.settled();
    await waitFor(() => planOf(r2)?.epoch === planOf(r1)?.epoch, { timeoutMs: 10_000 });
    expect(groupsOf(r2)).toEqual(groupsOf(r1));
    // r2 places into r1's groups: a short request lands in the short group.
    const shortGroup = planOf(r1)?.groups[0]?.instanceIds ?? [];
    expect(shortGroup).toContain(await placeOn(r2, "long", 100));
  });

  it("converge on one plan when both compute a new one at once", async () => {
    const [r1, r2] = replicas;
    if (!r1 || !r2) throw new Error("replicas not started");
    const ids = liveIds(r1, "long");
    const before = planOf(r1)?.epoch ?? 0n;
    // Different histograms (r2 has seen almost nothing): different plans, same epoch.
    const p1 = r1.planners.get("long")?.replan("long", ids);
    const p2 = r2.planners.get("long")?.replan("long", ids);
    expect(p1?.epoch).toBe(before + 1n);
    expect(p2?.epoch).toBe(before + 1n);
    expect(p1?.groups.length).not.toBe(p2?.groups.length);
    await Promise.all([r1.settled(), r2.settled()]);
    await waitFor(() => planOf(r1)?.epoch === planOf(r2)?.epoch && (planOf(r1)?.epoch ?? 0n) > before + 1n, {
      timeoutMs: 5000,
    });
    expect(groupsOf(r1)).toEqual(groupsOf(r2));
  });
});

describe("two scheduler replicas across a NATS restart", () => {
  it("lose the workers while NATS is down and see them again once it is back", async () => {
    const [r1, r2] = replicas;
    if (!r1 || !r2) throw new Error("replicas not started");
    await nats.stop();
    await waitFor(() => liveIds(r1, "small").length === 0 && liveIds(r2, "small").length === 0, { timeoutMs: 10_000 });
    await nats.restart();
    // The watches resume on their own; the workers' next puts reach both.
    await waitFor(() => liveIds(r1, "small").includes("b") && liveIds(r2, "small").includes("b"), { timeoutMs: 15_000 });
    expect(await placeOn(r2, "small")).toBe("b");
  });
});
