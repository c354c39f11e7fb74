import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Engine } from "@weir/engine";
import { registerSnapshotMetrics, type SnapshotMetricsSource } from "@weir/telemetry/metrics";
import { Registry } from "prom-client";
import { createSimServerHandler } from "./handler.js";
import { NO_REQUEST_METRICS, registerServerMetrics, type ServerMetrics } from "./server-metrics.js";

export interface SimServerOptions {
  /** The engine that generates: the simulated engine, or any other Engine. */
  engine: Engine;
  /** The model name served (GET /v1/models; requests must name it). */
  model: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Registry for GET /metrics. Default: a new one. */
  registry?: Registry;
  /** Written into the engine's requests. Default "sim". */
  tier?: string;
  /**
   * The engine's own metrics snapshot with vLLM's names (the simulated
   * engine's): exported on /metrics as they are. Without it the server
   * measures vLLM's request metrics itself around whatever engine it serves.
   */
  metrics?: SnapshotMetricsSource<string>;
}

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8000 (vLLM's); 0 picks a free port. */
  port?: number;
}

export interface RunningSimServer {
  /** Base URL of the OpenAI API, e.g. http://127.0.0.1:8000/v1. */
  url: string;
  host: string;
  port: number;
  server: Server;
  registry: Registry;
  /** Stops listening and closes every connection (in-flight streams are cut). */
  close(): Promise<void>;
}

export const SimServerDefaults = { maxBodyBytes: 1024 * 1024, host: "127.0.0.1", port: 8000, tier: "sim" } as const;

/** The HTTP server, not yet listening: no I/O happens here. */
export function createSimServer(opts: SimServerOptions): { server: Server; registry: Registry } {
  const registry = opts.registry ?? new Registry();
  const labels = { model_name: opts.model };
  let metrics: ServerMetrics;
  if (opts.metrics === undefined) metrics = registerServerMetrics(registry, opts.engine, opts.model);
  else {
    registerSnapshotMetrics(registry, opts.metrics, labels);
    metrics = NO_REQUEST_METRICS;
  }
  const handler = createSimServerHandler({
    engine: opts.engine,
    model: opts.model,
    maxBodyBytes: opts.maxBodyBytes ?? SimServerDefaults.maxBodyBytes,
    registry,
    metrics,
    tier: opts.tier ?? SimServerDefaults.tier,
  });
  return { server: createServer(handler), registry };
}

/** Creates the server and listens; resolves with its URL once it accepts connections. */
export async function startSimServer(opts: SimServerOptions & ListenOptions): Promise<RunningSimServer> {
  const { server, registry } = createSimServer(opts);
  const host = opts.host ?? SimServerDefaults.host;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? SimServerDefaults.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    host,
    port,
    server,
    registry,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
