import { startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";
import { Kvm } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBus, type Bus } from "./connect.js";
import { CURRENT_PLAN_KEY, DEPLOYMENT_BUCKET, openDeploymentPlans, type DeploymentPlan } from "./deployment-plan.js";

describe("deployment plans (NATS KV bucket)", () => {
  let server: NatsServerHandle;
  const buses: Bus[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
    await server.stop();
  });
  const bus = async (name: string) => {
    const b = await connectBus({ name, url: server.url });
    buses.push(b);
    return b;
  };
  const plan = (replicas: number) => ({
    gpu: "h100",
    tiers: [
      { tier: "small", preset: "llama-3.1-8b/h100", tensorParallel: 1, replicas },
      { tier: "large", preset: "llama-3.1-70b/h100x8", tensorParallel: 8, replicas: 1 },
    ],
    routerBudget: 0.25,
    qeThresholdShift: -0.1,
    source: "test",
    createdAtMs: 1n,
  });

  it("get is undefined before any put, then returns the stored plan with every field", async () => {
    const store = await openDeploymentPlans(await bus("planner"));
    expect(await store.get()).toBeUndefined();
    const written = await store.put(plan(2));
    const read = await store.get();
    expect(read).toEqual(written);
    expect(read?.tiers.map((t) => [t.tier, t.preset, t.tensorParallel, t.replicas])).toEqual([
      ["small", "llama-3.1-8b/h100", 1, 2],
      ["large", "llama-3.1-70b/h100x8", 8, 1],
    ]);
    expect(read?.routerBudget).toBe(0.25);
    expect(read?.onlyTier).toBe("");
  });

  it("a watcher gets the stored plan first, then each new one; a value that is not a plan goes to onError", async () => {
    const writer = await openDeploymentPlans(await bus("writer"));
    await writer.put(plan(1));
    const seen: DeploymentPlan[] = [];
    const errors: unknown[] = [];
    const stop = await (await openDeploymentPlans(await bus("scheduler"))).watch((p) => seen.push(p), (e) => errors.push(e));
    await waitFor(() => seen.length === 1);
    expect(seen[0]?.tiers[0]?.replicas).toBe(1);

    const kv = await new Kvm((await bus("vandal")).nc).open(DEPLOYMENT_BUCKET);
    await kv.put(CURRENT_PLAN_KEY, new Uint8Array([0xff, 0xff, 0xff]));
    await waitFor(() => errors.length === 1);
    await writer.put(plan(3));
    await waitFor(() => seen.length === 2);
    expect(seen[1]?.tiers[0]?.replicas).toBe(3);
    stop();
  });

  it("clearing withdraws the plan: get is undefined again and a watcher hears it", async () => {
    const writer = await openDeploymentPlans(await bus("withdrawer"));
    await writer.put(plan(2));
    let cleared = 0;
    const seen: DeploymentPlan[] = [];
    const stop = await (await openDeploymentPlans(await bus("router"))).watch((p) => seen.push(p), undefined, () => cleared++);
    await waitFor(() => seen.length === 1);
    await writer.clear();
    await waitFor(() => cleared === 1);
    expect(await writer.get()).toBeUndefined();
    await writer.put(plan(4));
    await waitFor(() => seen.length === 2);
    expect(seen[1]?.tiers[0]?.replicas).toBe(4);
    stop();
  });
});
