import { ServicePrefix, connectBus, createServiceClient, openInstanceDirectory, type Bus } from "@weir/bus";
import { parseConfig } from "@weir/config";
import { ErrorCode, WeirError } from "@weir/errors";
import { SchedulerService } from "@weir/proto";
import { startServiceInProcess, type InProcessService } from "@weir/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScheduler } from "./scheduler-service.js";
import { FakeWorker } from "./test-support/fake-worker.js";
import { startNatsServer, type NatsServerHandle } from "@weir/testkit";

// The service as the gateway sees it: two replicas in one queue group.
let nats: NatsServerHandle;
let bus: Bus;
const services: InProcessService[] = [];
const workers: FakeWorker[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connectBus({ name: "test", url: nats.url });
  const directory = await openInstanceDirectory(bus);
  for (const [id, load] of [
    ["w-1", { running: 1, maxConcurrency: 1, maxWaiting: 1 }],
    ["w-2", { running: 1, waiting: 1, maxConcurrency: 1, maxWaiting: 1 }],
  ] as const) {
    const w = new FakeWorker(directory, id, "small", load);
    workers.push(w);
    await w.start(200);
  }
  const config = parseConfig(`
tiers: [{ name: small, model: m }]
scheduler: { heartbeatTimeoutMs: 1000 }
worker: { heartbeatIntervalMs: 200 }
nats: { url: "${nats.url}" }
`);
  for (let i = 0; i < 2; i++) services.push(await startServiceInProcess({ name: "scheduler", start: startScheduler }, { config }));
});

afterAll(async () => {
  for (const w of workers) w.silence();
  await Promise.allSettled(services.map((s) => s.stop()));
  await bus?.close();
  await nats?.stop();
});

describe("scheduler service", () => {
  it("is ready as soon as it serves: it read the directory first", () => {
    for (const s of services) expect(s.ready()).toBe(true);
  });

  it("places over NATS, then refuses a full tier with RESOURCE_EXHAUSTED and a Retry-After", async () => {
    const client = createServiceClient(bus, SchedulerService, ServicePrefix.scheduler, { timeoutMs: 2000 });
    // w-1 has one place left in its queue; w-2 none.
    const res = await client.place({ requestId: "r1", tier: "small", promptTokens: 10 });
    expect(res.placement).toMatchObject({ instanceId: "w-1", policy: "least-loaded" });
    // Whichever replica answers next: the one that placed knows w-1 is now full, the
    // other does not yet, so ask until a refusal comes (at most once per replica).
    let refusal: unknown;
    for (let i = 0; i < 10 && refusal === undefined; i++) {
      await client.place({ requestId: `r${i + 2}`, tier: "small", promptTokens: 10 }).catch((err: unknown) => (refusal = err));
    }
    expect(refusal).toBeInstanceOf(WeirError);
    expect((refusal as WeirError).code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect((refusal as WeirError).retryAfterMs).toBe(200);
    expect((refusal as WeirError).message).toMatch(/^tier "small" is full: all 2 live instances already queue/);
  });
});
