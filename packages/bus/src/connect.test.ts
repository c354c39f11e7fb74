import { ErrorCode, WeirError } from "@weir/errors";
import { freePort, sleep, startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { connectBus, type Bus, type BusStatus } from "./connect.js";

describe("connectBus", () => {
  const servers: NatsServerHandle[] = [];
  const buses: Bus[] = [];
  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
    await Promise.allSettled(servers.map((s) => s.stop()));
  });

  it("waits for a NATS that starts after the service", async () => {
    const port = await freePort();
    const pending = connectBus({ name: "early", url: `nats://127.0.0.1:${port}` });
    await sleep(300);
    const server = await startNatsServer({ jetstream: false, port });
    servers.push(server);
    const bus = await pending;
    buses.push(bus);
    expect(bus.isConnected()).toBe(true);
  });

  it("gives up after connectTimeoutMs with UNAVAILABLE", async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await connectBus({ name: "late", url, connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect((err as WeirError).message).toContain(url);
  });

  it("with connectTimeoutMs still waits for a NATS that comes up in time", async () => {
    const port = await freePort();
    const pending = connectBus({ name: "bounded", url: `nats://127.0.0.1:${port}`, connectTimeoutMs: 5000 });
    await sleep(300);
    const server = await startNatsServer({ jetstream: false, port });
    servers.push(server);
    const bus = await pending;
    buses.push(bus);
    expect(bus.isConnected()).toBe(true);
  });

  it("reports disconnect, reconnect and close", async () => {
    const server = await startNatsServer({ jetstream: false });
    servers.push(server);
    const bus = await connectBus({ name: "status", url: server.url });
    buses.push(bus);
    const seen: BusStatus[] = [];
    bus.onStatus((s) => seen.push(s));
    expect(seen).toEqual(["connected"]);

    await server.stop();
    await waitFor(() => seen.includes("disconnected"), { timeoutMs: 1000 });
    expect(bus.isConnected()).toBe(false);

    await server.restart();
    await waitFor(() => seen.includes("reconnected"), { timeoutMs: 3000 });
    expect(bus.isConnected()).toBe(true);

    await bus.close();
    await waitFor(() => seen.includes("closed"), { timeoutMs: 1000 });
    expect(seen).toEqual(["connected", "disconnected", "reconnected", "closed"]);
    expect(bus.isConnected()).toBe(false);
  });

  it("drain() closes the connection", async () => {
    const server = await startNatsServer({ jetstream: false });
    servers.push(server);
    const bus = await connectBus({ name: "drain", url: server.url });
    const off = bus.onStatus(() => undefined);
    off();
    await bus.drain();
    expect(bus.isConnected()).toBe(false);
    expect(bus.nc.isClosed()).toBe(true);
    await bus.drain(); // a second drain is harmless
  });
});
