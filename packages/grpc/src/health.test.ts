import * as grpc from "@grpc/grpc-js";
import { service as healthDefinition } from "grpc-health-check";
import { InferenceService } from "@weir/proto";
import { afterEach, describe, expect, it } from "vitest";
import { addService } from "./add-service.js";
import { addHealthService, type HealthService } from "./health.js";
import { startServer, type TestServer } from "./test-support/server.js";

let running: TestServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** The standard grpc.health.v1.Health/Check call, as a probe makes it. */
function check(address: string, service: string): Promise<{ status: string } | grpc.ServiceError> {
  const method = (healthDefinition as grpc.ServiceDefinition)["Check"];
  if (method === undefined) throw new Error("grpc-health-check has no Check method");
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, { service }, (err, res) => {
      client.close();
      resolve(err ?? (res as { status: string }));
    });
  });
}

describe("addHealthService", () => {
  it("answers the standard Check with SERVING, then NOT_SERVING after setServing(false)", async () => {
    let health!: HealthService;
    running = await startServer((server) => {
      addService(server, InferenceService, { generate: () => ({}), generateStream: async function* () {}, listModels: () => ({}) });
      health = addHealthService(server, [InferenceService.typeName]);
    });
    expect(await check(running.address, "")).toEqual({ status: "SERVING" });
    expect(await check(running.address, "weir.v1.InferenceService")).toEqual({ status: "SERVING" });

    health.setServing("", false);
    expect(await check(running.address, "")).toEqual({ status: "NOT_SERVING" });
    expect(await check(running.address, "weir.v1.InferenceService")).toEqual({ status: "SERVING" });

    health.setServing("weir.v1.InferenceService", false);
    expect(await check(running.address, "weir.v1.InferenceService")).toEqual({ status: "NOT_SERVING" });
    health.setServing("", true);
    expect(await check(running.address, "")).toEqual({ status: "SERVING" });
  });

  it("answers NOT_FOUND for a service it was not told about", async () => {
    running = await startServer((server) => void addHealthService(server, []));
    const res = await check(running.address, "weir.v1.Nope");
    expect(res).toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
