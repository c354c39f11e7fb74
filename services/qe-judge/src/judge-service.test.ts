import { ServicePrefix, Subjects, connectBus, createServiceClient, openQeThresholds, subscribeProto, type Bus } from "@weir/bus";
import { parseConfig } from "@weir/config";
import { type ControlSignal, ControlSignalSchema, QualityService } from "@weir/proto";
import { AUTO_MODEL, StaticLadderRouter, ThresholdOverrideTable } from "@weir/routing";
import { startServiceInProcess, type InProcessService } from "@weir/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJudge } from "./judge-service.js";
import { type NatsServerHandle, startNatsServer, waitFor } from "@weir/testkit";

const testkit = { startNatsServer, waitFor };

let nats: NatsServerHandle;
let bus: Bus;
let judge: InProcessService;

beforeAll(async () => {
  nats = await testkit.startNatsServer({ jetstream: true });
  bus = await connectBus({ name: "test", url: nats.url });
  const config = parseConfig(`
tiers:
  - { name: small, model: s, qeThreshold: 0.7 }
  - { name: large, model: l }
judge:
  scorer: placeholder
  placeholderScore: 0.8
  shadow: { fraction: 1, minSamples: 4, maxStep: 0.05, targetQuality: 0.9 }
nats: { url: "${nats.url}" }
`);
  judge = await startServiceInProcess({ name: "qe-judge", start: startJudge }, { config });
});

afterAll(async () => {
  await judge?.stop();
  await bus?.close();
  await nats?.stop();
});

/** A replayed GSM8K pair where the small tier was wrong: the next tier's final number differs. */
const disagreeing = {
  tier: "small",
  nextTier: "large",
  prompt: "user: Janet has 3 boxes of 14 eggs. How many eggs?",
  acceptedResponse: "3 x 14 = 42, minus 1 broken. #### 41",
  shadowResponse: "3 * 14 = 42 eggs. #### 42",
  qeScore: 0.8,
  threshold: 0.7,
};

describe("qe-judge: L4 shadow outcomes and L5 signals over NATS", () => {
  it("publishes the confidence signal of each decision on weir.signals.confidence", async () => {
    const seen: ControlSignal[] = [];
    const sub = subscribeProto(bus, Subjects.signals("confidence"), ControlSignalSchema, (m) => {
      seen.push(m);
    });
    await bus.nc.flush();
    const client = createServiceClient(bus, QualityService, ServicePrefix.qe, { timeoutMs: 2000 });
    const res = await client.score({ requestId: "r0", tier: "small", prompt: "hi", response: "hello", threshold: 0.7 });
    expect(res.score?.accept).toBe(true);
    await testkit.waitFor(() => seen.length === 1, { description: "a confidence signal" });
    expect(seen[0]).toMatchObject({ kind: "confidence", value: 0.8, requestId: "r0", tier: "small" });
    sub.unsubscribe();
  });

  it("moves the threshold after minSamples disagreements, by maxStep, publishes it in KV, and then judges with it", async () => {
    const client = createServiceClient(bus, QualityService, ServicePrefix.qe, { timeoutMs: 2000 });
    const store = await openQeThresholds(bus);
    // The router's side: the bucket's watch feeds the override table its plans read.
    const table = new ThresholdOverrideTable();
    const stopWatch = await store.watch((k, v) => table.set(k, v));
    const router = new StaticLadderRouter({
      tiers: [
        { name: "small", qeThreshold: 0.7 },
        { name: "large", qeThreshold: 0 },
      ],
      thresholdOverrides: table,
    });

    for (let i = 0; i < 3; i++) {
      const r = await client.recordShadow({ ...disagreeing, requestId: `s${i}` });
      expect(r).toMatchObject({ agree: false, method: "numeric", key: "small.all", updated: false, threshold: 0.7 });
    }
    expect(await store.get("small.all")).toBeUndefined();
    const fourth = await client.recordShadow({ ...disagreeing, requestId: "s3" });
    expect(fourth.updated).toBe(true);
    expect(fourth.threshold).toBeCloseTo(0.75, 10);
    expect(await store.get("small.all")).toBeCloseTo(0.75, 10);
    await testkit.waitFor(() => table.threshold("small") !== undefined, { description: "the router to see the threshold" });
    expect(router.plan({ model: AUTO_MODEL }).steps[0]?.qeThreshold).toBeCloseTo(0.75, 10);

    // Two more windows: 0.80, then 0.85 > the answer's 0.8, and the judge now escalates.
    for (let i = 4; i < 12; i++) await client.recordShadow({ ...disagreeing, requestId: `s${i}` });
    expect(await store.get("small.all")).toBeCloseTo(0.85, 10);
    const res = await client.score({ requestId: "r1", tier: "small", prompt: "hi", response: "hello", threshold: 0.7 });
    expect(res.score).toMatchObject({ accept: false, threshold: 0.85 });
    expect(res.score?.reason).toContain("recalibrated by shadow verification 0.70 → 0.85");

    // Agreement is recorded too: a window of agreeing pairs lowers it again, by at most maxStep.
    for (let i = 0; i < 4; i++) {
      await client.recordShadow({ ...disagreeing, shadowResponse: disagreeing.acceptedResponse, requestId: `a${i}` });
    }
    expect(await store.get("small.all")).toBeCloseTo(0.8, 10);
    stopWatch();
  });
});
