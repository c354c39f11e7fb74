import { connectBus } from "@weir/bus";
import type { WeirConfig } from "@weir/config";
import { createLogger, startOpsServer } from "@weir/runtime";
import { Registry } from "prom-client";
import type { ServiceDefinition } from "./run-service.js";

export interface InProcessOptions {
  config: WeirConfig;
  /** Environment the service reads (WEIR_TIER, ...); default {}. */
  env?: NodeJS.ProcessEnv;
  /** Serve /healthz, /readyz and /metrics on a free port too (default false). */
  ops?: boolean;
}

export interface InProcessService {
  name: string;
  info: Record<string, unknown>;
  opsPort: number | undefined;
  ready(): boolean;
  /** The same graceful drain as on SIGTERM, without exiting the process. */
  stop(): Promise<void>;
}

/**
 * Starts a service inside the calling process — for tests and embedding:
 * the same start function and context as `runService`, with its own NATS
 * connection and metrics registry, but no signal handlers, no process exit,
 * no global telemetry and no readiness line.
 */
export async function startServiceInProcess(def: ServiceDefinition, opts: InProcessOptions): Promise<InProcessService> {
  const env = opts.env ?? {};
  const log = createLogger(def.name, { level: env.LOG_LEVEL ?? "warn" });
  const registry = new Registry();
  const bus = await connectBus({ name: def.name, url: opts.config.nats.url, connectTimeoutMs: 5_000 });
  let started;
  try {
    started = await def.start({ name: def.name, config: opts.config, bus, log, registry, env });
  } catch (err) {
    await bus.close().catch(() => undefined);
    throw err;
  }
  const ready = () => bus.isConnected() && (started.ready?.() ?? true);
  const ops = opts.ops === true ? await startOpsServer({ port: 0, registry, ready }) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    name: def.name,
    info: started.info ?? {},
    opsPort: ops?.port,
    ready,
    stop: () =>
      (stopping ??= (async () => {
        await started.stop();
        await bus.drain().catch(() => undefined);
        await ops?.close();
      })()),
  };
}
