import { ErrorCode } from "@weir/errors";
import { InferenceService, WorkerService } from "@weir/proto";
import { afterEach, describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import { ClientPool } from "./client-pool.js";
import { rejectionOf, startServer, type TestServer } from "./test-support/server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function worker(name: string): Promise<TestServer> {
  const s = await startServer((server) =>
    addService(server, WorkerService, {
      generateTokens: async function* () {
        yield { text: name };
      },
    }),
  );
  servers.push(s);
  return s;
}

async function firstText(stream: AsyncIterable<{ text: string }>): Promise<string> {
  for await (const msg of stream) return msg.text;
  return "";
}

describe("ClientPool", () => {
  it("keeps one client per service and address", async () => {
    const [a, b] = [await worker("a"), await worker("b")];
    const pool = new ClientPool();
    const toA = pool.get(WorkerService, a.address);
    expect(pool.get(WorkerService, a.address)).toBe(toA);
    expect(pool.get(WorkerService, b.address)).not.toBe(toA);
    expect(pool.get(InferenceService, a.address)).not.toBe(toA);
    expect(pool.size).toBe(3);
    expect(await firstText(toA.generateTokens({}))).toBe("a");
    expect(await firstText(pool.get(WorkerService, b.address).generateTokens({}))).toBe("b");
    pool.close();
  });

  it("closes the clients of a removed address and makes a new one on the next get", async () => {
    const a = await worker("a");
    const pool = new ClientPool();
    const old = pool.get(WorkerService, a.address);
    pool.remove(a.address);
    expect(pool.size).toBe(0);
    expect(await rejectionOf(firstText(old.generateTokens({})))).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    const fresh = pool.get(WorkerService, a.address);
    expect(fresh).not.toBe(old);
    expect(await firstText(fresh.generateTokens({}))).toBe("a");
    pool.close();
  });

  it("closes every client", async () => {
    const [a, b] = [await worker("a"), await worker("b")];
    const pool = new ClientPool({ channelOptions: { "grpc.keepalive_time_ms": 30_000 } });
    const clients = [pool.get(WorkerService, a.address), pool.get(WorkerService, b.address)];
    pool.close();
    expect(pool.size).toBe(0);
    for (const client of clients) {
      expect(await rejectionOf(firstText(client.generateTokens({})))).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    }
  });
});
