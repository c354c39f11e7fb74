import { ErrorCode } from "@weir/errors";
import { InferenceService } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import { createClient } from "./client.js";
import { createGrpcServer, listen, shutdown } from "./server.js";
import { deferred, rejectionOf, sleep } from "./test-support/server.js";

/** A server whose generate waits for `release` (or its signal). */
async function slowServer(release: Promise<void>) {
  const started = deferred();
  const server = createGrpcServer();
  addService(server, InferenceService, {
    generate: async () => {
      started.resolve();
      await release;
      return { text: "done" };
    },
    generateStream: async function* () {},
    listModels: () => ({}),
  });
  const port = await listen(server, "127.0.0.1:0");
  return { server, address: `127.0.0.1:${port}`, started: started.promise };
}

describe("listen", () => {
  it("resolves the bound port for port 0", async () => {
    const server = createGrpcServer();
    const port = await listen(server, "127.0.0.1:0");
    expect(port).toBeGreaterThan(0);
    await shutdown(server, 0);
  });

  it("rejects with a sentence when the address is taken", async () => {
    const first = createGrpcServer();
    const port = await listen(first, "127.0.0.1:0");
    const second = createGrpcServer();
    const err = await rejectionOf(listen(second, `127.0.0.1:${port}`));
    expect((err as Error).message).toMatch(new RegExp(`^cannot listen for gRPC on 127\\.0\\.0\\.1:${port}: `));
    await shutdown(first, 0);
    await shutdown(second, 0);
  });
});

describe("shutdown", () => {
  it("lets a call in flight finish within the grace period", async () => {
    const release = deferred();
    const { server, address, started } = await slowServer(release.promise);
    const client = createClient(InferenceService, address);
    const answer = client.generate({});
    await started;
    const stopped = shutdown(server, 5_000);
    await sleep(50);
    release.resolve();
    expect((await answer).text).toBe("done");
    await stopped;
    client.close();
  });

  it("cuts a call off after the grace period", async () => {
    const { server, address, started } = await slowServer(new Promise(() => {}));
    const client = createClient(InferenceService, address);
    const answer = rejectionOf(client.generate({}));
    await started;
    const t0 = Date.now();
    await shutdown(server, 100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    // To the caller the worker went away (retryable), not "you cancelled".
    const err = await answer;
    expect(err).toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect((err as Error).message).toMatch(/^weir\.v1\.InferenceService at .+ cut the call to Generate off/);
    client.close();
  });
});
