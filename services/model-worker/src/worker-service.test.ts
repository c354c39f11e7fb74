import { connectBus, openInstanceDirectory, type Bus } from "@weir/bus";
import { parseConfig } from "@weir/config";
import { ErrorCode, WeirError } from "@weir/errors";
import { createClient } from "@weir/grpc";
import { fromBinary } from "@bufbuild/protobuf";
import { GenerationCompletedSchema, WorkerService, type GenerationCompleted, type WorkerHeartbeat } from "@weir/proto";
import { startServiceInProcess, type InProcessService } from "@weir/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";
import { startWorker } from "./worker-service.js";

// A worker with one slot and room for one more request in its queue, and a
// watcher of the instance directory standing in for the scheduler.
let nats: NatsServerHandle;
let bus: Bus;
let worker: InProcessService;
const seen = new Map<string, WorkerHeartbeat>();
const removed: string[] = [];
let stopWatching: () => void = () => undefined;

beforeAll(async () => {
  nats = await startNatsServer();
  const config = parseConfig(`
tiers:
  - name: small
    model: m
    engineOptions: { tokenDelayMs: 20, maxConcurrency: 1 }
scheduler: { heartbeatTimeoutMs: 300 }
worker: { heartbeatIntervalMs: 50, maxWaiting: 1 }
nats: { url: "${nats.url}" }
`);
  worker = await startServiceInProcess({ name: "model-worker", start: startWorker }, {
    config,
    env: { WEIR_TIER: "small", WEIR_INSTANCE_ID: "w-1" },
  });
  bus = await connectBus({ name: "test", url: nats.url });
  const directory = await openInstanceDirectory(bus);
  stopWatching = await directory.watch({
    onPut: (hb) => seen.set(hb.instanceId, hb),
    onRemove: (_tier, id) => {
      seen.delete(id);
      removed.push(id);
    },
  });
});

afterAll(async () => {
  stopWatching();
  await worker?.stop();
  await bus?.close();
  await nats?.stop();
});

async function generate(address: string, requestId: string): Promise<{ tokens: number; finish: string; completion: number }> {
  const client = createClient(WorkerService, address);
  try {
    let tokens = 0;
    let finish = "";
    let completion = -1;
    for await (const msg of client.generateTokens({ requestId, tier: "small", prompt: `request ${requestId}`, maxTokens: 15 })) {
      tokens += msg.tokenCount;
      if (msg.finishReason !== "") finish = msg.finishReason;
      if (msg.usage) completion = msg.usage.completionTokens;
    }
    return { tokens, finish, completion };
  } finally {
    client.close();
  }
}

describe("model-worker", () => {
  it("puts its heartbeat, with its queue bound, into the instance directory", async () => {
    await waitFor(() => seen.has("w-1"), { timeoutMs: 10_000 });
    const hb = seen.get("w-1");
    expect(hb).toMatchObject({ tier: "small", model: "m", engine: "placeholder", draining: false });
    expect(hb?.load).toMatchObject({ maxConcurrency: 1, maxWaiting: 1 });
  });

  it("refuses a request with RESOURCE_EXHAUSTED and a Retry-After once maxWaiting requests wait, and finishes the others", async () => {
    const address = String(worker.info.address);
    const running = generate(address, "a");
    const queued = generate(address, "b");
    // Both admitted: one running, one waiting, as the worker itself reports.
    await waitFor(() => seen.get("w-1")?.load?.running === 1 && seen.get("w-1")?.load?.waiting === 1, { timeoutMs: 10_000 });

    const refused = await generate(address, "c").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WeirError);
    expect((refused as WeirError).code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect((refused as WeirError).message).toMatch(/worker w-1 of tier "small" is full: 1 requests already wait/);
    expect((refused as WeirError).retryAfterMs).toBeGreaterThanOrEqual(50);

    // Nothing accepted is lost: both admitted requests stream to the end.
    for (const done of await Promise.all([running, queued])) {
      expect(done.finish).not.toBe("");
      expect(done.tokens).toBe(done.completion);
      expect(done.tokens).toBeGreaterThan(0);
    }
    // And the freed queue admits again.
    expect((await generate(address, "d")).finish).not.toBe("");
  });

  it("tells the schedulers what a finished generation produced, and not what a warm-up did", async () => {
    const got: GenerationCompleted[] = [];
    const sub = bus.nc.subscribe("weir.worker.completed.>", { callback: (_err, msg) => got.push(fromBinary(GenerationCompletedSchema, msg.data)) });
    await bus.nc.flush();
    const address = String(worker.info.address);
    const done = await generate(address, "e");
    const client = createClient(WorkerService, address);
    try {
      for await (const msg of client.generateTokens({ requestId: "warm", tier: "small", prompt: "warm me", maxTokens: 15, prefillOnly: true })) void msg;
    } finally {
      client.close();
    }
    await waitFor(() => got.length >= 1, { timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200)); // a warm-up report would arrive by now
    sub.unsubscribe();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ tier: "small", instanceId: "w-1", completionTokens: done.completion, finishReason: done.finish });
    expect(got[0]!.promptTokens).toBeGreaterThan(0);
  });

  it("says it is draining, then removes its key on a clean stop", async () => {
    await worker.stop();
    await waitFor(() => removed.includes("w-1"), { timeoutMs: 10_000 });
    expect(seen.has("w-1")).toBe(false);
  });
});
