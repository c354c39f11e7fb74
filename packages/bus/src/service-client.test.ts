import { ErrorCode, WeirError } from "@weir/errors";
import { RouterService } from "@weir/proto";
import { waitFor } from "@weir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus } from "./connect.js";
import { serveService, type ServedService } from "./serve-service.js";
import { createServiceClient } from "./service-client.js";
import { natsFixture, type NatsFixture } from "./test-support/nats.js";

/** Runs `call` and returns its error and how long it took to fail. */
async function failure(call: () => Promise<unknown>): Promise<{ err: WeirError; ms: number }> {
  const start = performance.now();
  try {
    await call();
  } catch (err) {
    if (!(err instanceof WeirError)) throw err;
    return { err, ms: performance.now() - start };
  }
  throw new Error("expected the call to fail");
}

describe("createServiceClient failures", () => {
  let nats: NatsFixture;
  let serverBus: Bus;
  let clientBus: Bus;
  let served: ServedService;

  beforeAll(async () => {
    nats = await natsFixture();
    serverBus = await nats.connect("slow-router");
    clientBus = await nats.connect("gateway");
    // Answers after `model` milliseconds ("" = at once).
    served = await serveService(serverBus, {
      name: "weir-router",
      version: "0.1.0",
      subjectPrefix: "test.router",
      service: RouterService,
      handlers: {
        plan: async (req) => {
          await new Promise((r) => setTimeout(r, Number(req.model || "0")));
          return { plan: { policy: "test" } };
        },
      },
    });
  });

  afterAll(async () => {
    await served.stop();
    await nats.dispose();
  });

  const client = (timeoutMs?: number) =>
    createServiceClient(clientBus, RouterService, "test.router", timeoutMs === undefined ? {} : { timeoutMs });

  it("no responders → UNAVAILABLE at once, naming the service and subject", async () => {
    const nobody = createServiceClient(clientBus, RouterService, "test.nobody");
    const { err, ms } = await failure(() => nobody.plan({}));
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toBe("no RouterService is running: nothing answers on test.nobody.plan");
    expect(ms).toBeLessThan(500);
  });

  it("timeout → DEADLINE_EXCEEDED after the client's timeout", async () => {
    const { err, ms } = await failure(() => client(100).plan({ model: "400" }));
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(err.message).toBe("RouterService did not answer on test.router.plan within 100 ms");
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(ms).toBeLessThan(1000);
  });

  it("a per-call timeout overrides the client's", async () => {
    const { err } = await failure(() => client(5000).plan({ model: "400" }, { timeoutMs: 50 }));
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
  });

  it("an aborted signal → CANCELLED at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const { err, ms } = await failure(() => client().plan({ model: "400" }, { signal: controller.signal }));
    expect(err.code).toBe(ErrorCode.CANCELLED);
    expect(ms).toBeLessThan(300);
    const { err: early } = await failure(() => client().plan({}, { signal: AbortSignal.abort() }));
    expect(early.code).toBe(ErrorCode.CANCELLED);
  });

  it("NATS down → UNAVAILABLE fast (in flight and new calls); after restart the same client works", async () => {
    const router = client();
    expect((await router.plan({})).plan?.policy).toBe("test");

    const inFlight = failure(() => router.plan({ model: "700" }));
    await new Promise((r) => setTimeout(r, 50));
    const stopAt = performance.now();
    await nats.server.stop();
    const { err: dropped } = await inFlight;
    expect(dropped.code).toBe(ErrorCode.UNAVAILABLE);
    expect(performance.now() - stopAt).toBeLessThan(1000);

    await waitFor(() => !clientBus.isConnected(), { timeoutMs: 1000 });
    const { err, ms } = await failure(() => router.plan({}));
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toMatch(/^the NATS connection is down, so RouterService cannot be reached on test\.router\.plan/);
    expect(ms).toBeLessThan(1000);

    await nats.server.restart();
    await waitFor(() => clientBus.isConnected() && serverBus.isConnected(), { timeoutMs: 5000 });
    // The service re-subscribes on reconnect; until then the client may see no responders.
    await waitFor(async () => (await router.plan({})).plan?.policy === "test", { timeoutMs: 5000 });
  });
});
