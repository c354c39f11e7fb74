import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { startNatsServer, type NatsServerHandle } from "./nats-server.js";

describe("startNatsServer", () => {
  const servers: NatsServerHandle[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it("starts a JetStream server that accepts connections", async () => {
    const server = await startNatsServer();
    servers.push(server);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const nc = await connect({ servers: server.url });
    try {
      expect(nc.info?.jetstream).toBe(true);
      const sub = nc.subscribe("t.echo", { callback: (_err, msg) => void msg.respond(msg.data) });
      const reply = await nc.request("t.echo", "hi", { timeout: 1000 });
      expect(reply.string()).toBe("hi");
      sub.unsubscribe();
    } finally {
      await nc.close();
    }
  });

  it("restart() comes back on the same port with the same store", async () => {
    const server = await startNatsServer();
    servers.push(server);
    const { port, storeDir } = server;
    await server.stop();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 300 })).rejects.toThrow();
    await server.restart();
    expect(server.port).toBe(port);
    expect(server.storeDir).toBe(storeDir);
    const nc = await connect({ servers: server.url });
    await nc.close();
  });

  it("stop() is idempotent and a second server gets another port", async () => {
    const a = await startNatsServer({ jetstream: false });
    const b = await startNatsServer({ jetstream: false });
    servers.push(a, b);
    expect(a.port).not.toBe(b.port);
    await a.stop();
    await a.stop();
  });

  it("rejects with the server log when the port is taken", async () => {
    const a = await startNatsServer({ jetstream: false });
    servers.push(a);
    await expect(startNatsServer({ jetstream: false, port: a.port })).rejects.toThrow(/address already in use/);
  });
});
