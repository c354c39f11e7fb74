import { ServicePrefix, connectBus, createServiceClient, serveService } from "@weir/bus";
import { parseConfig } from "@weir/config";
import { RouterService } from "@weir/proto";
import { startNatsServer, type NatsServerHandle } from "@weir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDefinition } from "./run-service.js";
import { startServiceInProcess } from "./start-in-process.js";

let nats: NatsServerHandle;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

/** A tiny router that answers with one rung naming the tier from its env. */
const echoRouter: ServiceDefinition = {
  name: "echo-router",
  async start(ctx) {
    const svc = await serveService(ctx.bus, {
      name: "weir-echo-router",
      version: "0.0.1",
      subjectPrefix: ServicePrefix.router,
      service: RouterService,
      handlers: { plan: () => ({ plan: { steps: [{ tier: ctx.env.TIER ?? "none" }], reason: "echo", policy: "echo" } }) },
    });
    return { info: { tier: ctx.env.TIER }, stop: () => svc.stop() };
  },
};

describe("startServiceInProcess", () => {
  it("starts a service in this process, answers over real NATS, and drains on stop", async () => {
    const config = parseConfig(`tiers:\n  - name: small\n    model: m\nnats:\n  url: ${nats.url}\n`);
    const svc = await startServiceInProcess(echoRouter, { config, env: { TIER: "small" }, ops: true });
    expect(svc.info).toEqual({ tier: "small" });
    expect(svc.ready()).toBe(true);
    const res = await fetch(`http://127.0.0.1:${svc.opsPort}/readyz`);
    expect(res.status).toBe(200);

    const bus = await connectBus({ name: "test", url: nats.url });
    const router = createServiceClient(bus, RouterService, ServicePrefix.router, { timeoutMs: 1000 });
    expect((await router.plan({ model: "weir-auto" })).plan?.steps[0]?.tier).toBe("small");

    await svc.stop();
    const after = await router.plan({ model: "weir-auto" }).catch((e: unknown) => e);
    expect((after as Error).message).toMatch(/no RouterService is running/);
    await bus.close();
  });

  it("surfaces a start failure as a rejection and closes its connection", async () => {
    const config = parseConfig(`tiers:\n  - name: small\n    model: m\nnats:\n  url: ${nats.url}\n`);
    const broken: ServiceDefinition = {
      name: "broken",
      start: () => Promise.reject(new Error("WEIR_TIER is not set")),
    };
    await expect(startServiceInProcess(broken, { config })).rejects.toThrow(/WEIR_TIER/);
  });
});
