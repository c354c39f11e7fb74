import { createMetricsRegistry } from "@weir/telemetry";
import { afterEach, describe, expect, it } from "vitest";
import { startOpsServer, type OpsServer } from "./ops-server.js";

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(ready: () => boolean): Promise<string> {
  server = await startOpsServer({ port: 0, registry: createMetricsRegistry("ops-test"), ready });
  return `http://127.0.0.1:${server.port}`;
}

describe("startOpsServer", () => {
  it("answers /healthz while the process runs", async () => {
    const base = await start(() => false);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz from the ready() check, 503 when not ready or when it throws", async () => {
    let ready = false;
    const base = await start(() => ready);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });

    await server?.close();
    server = await startOpsServer({ port: 0, registry: createMetricsRegistry("x"), ready: () => { throw new Error("boom"); } });
    expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(503);
  });

  it("serves the registry in Prometheus text format on /metrics", async () => {
    const base = await start(() => true);
    const res = await fetch(`${base}/metrics?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(await res.text()).toMatch(/^process_cpu_user_seconds_total\{service="ops-test"\} /m);
  });

  it("answers 404 for anything else, 405 for a wrong method", async () => {
    const base = await start(() => true);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/v1/models`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("closes even with a keep-alive connection open", async () => {
    const base = await start(() => true);
    await fetch(`${base}/healthz`, { headers: { connection: "keep-alive" } });
    await server?.close();
    server = undefined;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it("reports a port already in use", async () => {
    await start(() => true);
    await expect(startOpsServer({ port: server?.port ?? 0, registry: createMetricsRegistry("x"), ready: () => true })).rejects.toThrow(/EADDRINUSE/);
  });
});
