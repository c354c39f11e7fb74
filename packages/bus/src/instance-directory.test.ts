import { create } from "@bufbuild/protobuf";
import { WorkerHeartbeatSchema } from "@weir/proto";
import { startNatsServer, waitFor, type NatsServerHandle } from "@weir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBus, type Bus } from "./connect.js";
import { openInstanceDirectory } from "./instance-directory.js";

describe("instance directory (NATS KV bucket)", () => {
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
  const hb = (id: string, sequence: number) =>
    create(WorkerHeartbeatSchema, { instanceId: id, tier: "small", address: "127.0.0.1:1", sequence: BigInt(sequence) });

  it("a watcher gets the instances already there, then puts and removals, and says when it is current", async () => {
    const writer = await openInstanceDirectory(await bus("worker"));
    await writer.put(hb("a", 1));
    await writer.put(hb("b", 1));
    await writer.put(hb("a", 2));

    const seen = new Map<string, bigint>();
    const removed: string[] = [];
    let caughtUpWith = -1;
    const reader = await openInstanceDirectory(await bus("scheduler"));
    const stop = await reader.watch({
      onPut: (h) => seen.set(h.instanceId, h.sequence),
      onRemove: (tier, id) => removed.push(`${tier}/${id}`),
      onCaughtUp: () => {
        caughtUpWith = seen.size;
      },
    });
    await waitFor(() => caughtUpWith >= 0);
    // History is 1: only each instance's latest heartbeat is replayed.
    expect(caughtUpWith).toBe(2);
    expect(seen.get("a")).toBe(2n);

    await writer.put(hb("c", 1));
    await writer.remove("small", "b");
    await waitFor(() => seen.has("c") && removed.length === 1);
    expect(removed).toEqual(["small/b"]);
    stop();
  });

  it("an empty bucket is current at once", async () => {
    const other = await startNatsServer();
    try {
      const b = await connectBus({ name: "empty", url: other.url });
      let current = false;
      const stop = await (await openInstanceDirectory(b)).watch({ onPut: () => undefined, onRemove: () => undefined, onCaughtUp: () => (current = true) });
      await waitFor(() => current);
      stop();
      await b.close();
    } finally {
      await other.stop();
    }
  });
});
