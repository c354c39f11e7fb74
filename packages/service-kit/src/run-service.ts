import { connectBus, type Bus } from "@weir/bus";
import { ConfigError, loadConfig, type WeirConfig } from "@weir/config";
import { announceReady, createLogger, onShutdown, startOpsServer, type Logger } from "@weir/runtime";
import { createMetricsRegistry, startTelemetry } from "@weir/telemetry";
import type { Registry } from "prom-client";

/** What every service's start function receives. */
export interface ServiceContext {
  readonly name: string;
  readonly config: WeirConfig;
  readonly bus: Bus;
  readonly log: Logger;
  readonly registry: Registry;
  readonly env: NodeJS.ProcessEnv;
}

/** What a started service hands back to the shell. */
export interface StartedService {
  /** Extra readiness beyond "NATS is connected" (e.g. a gRPC server listening). */
  ready?: () => boolean;
  /** Ports and ids printed in the WEIR_READY line. */
  info?: Record<string, unknown>;
  /**
   * Graceful drain: stop taking new work, finish what is in flight, release
   * resources. Called once on SIGTERM/SIGINT, before NATS is drained.
   */
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  /** The service's name: folder, package, OTEL_SERVICE_NAME and $SRV name all use it. */
  name: string;
  version?: string;
  start(ctx: ServiceContext): Promise<StartedService>;
}

/**
 * The one boot sequence of every Weir service: config (a bad one stops boot
 * with a sentence), telemetry, NATS, the service itself, the ops server
 * (/healthz, /readyz, /metrics), the WEIR_READY line, and a graceful drain on
 * SIGTERM. Keeping it in one place keeps the services thin.
 */
export async function runService(def: ServiceDefinition): Promise<void> {
  const env = process.env;
  const log = createLogger(def.name);
  let config: WeirConfig;
  try {
    config = loadConfig({ env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${def.name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const telemetry = startTelemetry({ serviceName: def.name, serviceVersion: def.version ?? "0.1.0" });
  const registry = createMetricsRegistry(def.name);
  const bus = await connectBus({ name: def.name, url: config.nats.url });
  bus.onStatus((status) => log.info({ nats: status }, `NATS ${status}`));

  let started: StartedService;
  try {
    started = await def.start({ name: def.name, config, bus, log, registry, env });
  } catch (err) {
    // A service that cannot start says why in one line and exits non-zero.
    log.fatal({ err }, `${def.name} failed to start: ${err instanceof Error ? err.message : String(err)}`);
    await bus.close().catch(() => undefined);
    process.exit(1);
  }
  const ops = await startOpsServer({
    host: env.WEIR_OPS_HOST ?? "127.0.0.1",
    port: Number(env.WEIR_OPS_PORT ?? 0),
    registry,
    ready: () => bus.isConnected() && (started.ready?.() ?? true),
  });

  onShutdown(
    async (signal) => {
      log.info({ signal }, "draining");
      await started.stop();
      await bus.drain().catch((err: unknown) => log.warn({ err }, "NATS drain failed"));
      await ops.close();
      await telemetry.shutdown();
      log.info("stopped");
    },
    { logger: log, timeoutMs: Number(env.WEIR_DRAIN_TIMEOUT_MS ?? 30_000) },
  );
  announceReady(log, { service: def.name, opsPort: ops.port, ...started.info });
}
