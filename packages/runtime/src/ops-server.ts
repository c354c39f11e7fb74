import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the ops server needs of a prom-client Registry. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface OpsServerOptions {
  /** Address to listen on; default 127.0.0.1 (use 0.0.0.0 where a kubelet or Prometheus scrapes from outside). */
  host?: string;
  /** Port; 0 picks a free one (read it back from the result). */
  port: number;
  /** The service's metrics registry (createMetricsRegistry). */
  registry: MetricsSource;
  /** Whether the service can take traffic now (connected, warmed up, not draining). */
  ready: () => boolean;
}

export interface OpsServer {
  /** The bound port. */
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function isReady(ready: () => boolean): boolean {
  try {
    return ready();
  } catch {
    return false; // a failing check is a "no", never a crashed probe
  }
}

async function route(req: IncomingMessage, res: ServerResponse, opts: OpsServerOptions): Promise<void> {
  const path = new URL(req.url ?? "/", "http://ops").pathname;
  const known = path === "/healthz" || path === "/readyz" || path === "/metrics";
  if (!known) return sendJson(res, 404, { error: `no such endpoint ${path}; use /healthz, /readyz or /metrics` });
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return sendJson(res, 405, { error: `${path} only answers GET` });
  }
  if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
  if (path === "/readyz") {
    return isReady(opts.ready) ? sendJson(res, 200, { status: "ready" }) : sendJson(res, 503, { status: "not ready" });
  }
  const text = await opts.registry.metrics();
  res.writeHead(200, { "content-type": opts.registry.contentType }).end(text);
}

/**
 * The operations endpoints every service serves, apart from its API:
 *  - GET /healthz: 200 {"status":"ok"} while the process runs (liveness);
 *  - GET /readyz: 200 when ready() says so, else 503 (readiness: take traffic or not);
 *  - GET /metrics: the registry in Prometheus text format.
 * Anything else is 404 (405 for a wrong method on these paths).
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    route(req, res, opts).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
