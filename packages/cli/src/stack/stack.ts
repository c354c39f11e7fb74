import { loadConfig, type WeirConfig } from "@weir/config";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureNats, type LocalNats } from "./nats-supervisor.js";
import { startServiceProcess, type ServiceProcess } from "./service-process.js";

/** The control-plane services, started before the workers and the gateway. */
export const CONTROL_SERVICES = ["kv-cache-manager", "router", "qe-judge", "scheduler"] as const;

export interface StackOptions {
  /** weir.yaml to use (default: $WEIR_CONFIG or ./weir.yaml). */
  configPath?: string;
  /** NATS to use or start (default: $NATS_URL or nats://127.0.0.1:4222). */
  natsUrl?: string;
  /** Extra environment for every service (OTEL_*, WEIR__ overrides, ...). */
  env?: Record<string, string>;
  /** Every output line of every service. */
  onLine?: (label: string, line: string, stream: "stdout" | "stderr") => void;
  /** Repository root holding services/<name>/dist (default: found from this file). */
  root?: string;
  readyTimeoutMs?: number;
}

export interface Stack {
  config: WeirConfig;
  nats: LocalNats;
  processes: ServiceProcess[];
  httpUrl: string;
  grpcAddress: string;
  process(label: string): ServiceProcess | undefined;
  /** SIGTERM to everything (gateway first, NATS last); nothing is left behind. */
  stop(): Promise<void>;
}

export function repoRoot(): string {
  return resolve(fileURLToPath(new URL("../../../../", import.meta.url)));
}

function entryOf(root: string, service: string): string {
  const entry = join(root, "services", service, "dist", "main.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm start builds; or pnpm build)`);
  return entry;
}

/**
 * Starts the whole local stack as separate processes: NATS (when none is
 * reachable), the four control services, every worker replica of every tier
 * (unless scheduler.localWorkers.enabled: then the scheduler runs them), and
 * the gateway; resolves once each has printed WEIR_READY.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const root = opts.root ?? repoRoot();
  const configPath = resolve(opts.configPath ?? process.env.WEIR_CONFIG ?? join(process.cwd(), "weir.yaml"));
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...opts.env, WEIR_CONFIG: configPath };
  const config = loadConfig({ path: configPath, env: baseEnv });
  const nats = await ensureNats(opts.natsUrl ?? baseEnv.NATS_URL ?? config.nats.url);
  const env = { ...baseEnv, NATS_URL: nats.url };
  const schedulerRunsWorkers = config.scheduler.localWorkers?.enabled === true;
  const userOnLine = opts.onLine ?? (() => {});
  // The scheduler forwards its workers' lines as "[<id>] <line>": label them
  // worker:<id>, as if the stack had started the worker itself.
  const onLine: NonNullable<StackOptions["onLine"]> = schedulerRunsWorkers
    ? (label, line, stream) => {
        const m = label === "scheduler" ? /^\[([a-z0-9-]+)\] (.*)$/.exec(line) : null;
        if (m) userOnLine(`worker:${m[1]!}`, m[2]!, stream);
        else userOnLine(label, line, stream);
      }
    : userOnLine;
  const processes: ServiceProcess[] = [];
  const start = async (label: string, service: string, extra: Record<string, string> = {}) => {
    const p = await startServiceProcess({
      label,
      entry: entryOf(root, service),
      env: { ...env, OTEL_SERVICE_NAME: service, ...extra },
      onLine,
      ...(opts.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: opts.readyTimeoutMs }),
    });
    processes.push(p);
    return p;
  };

  const stop = async () => {
    // Gateway first so no new work enters, then workers, then the control plane.
    const order = [...processes].reverse();
    for (const p of order) await p.stop();
    await nats.stop();
  };

  // scheduler.localWorkers: the scheduler starts (and later stops, to match
  // `weir plan --apply`) the workers itself, and prints WEIR_READY only once
  // its initial workers are ready; it is told which model-worker to run.
  const extraFor = (service: string): Record<string, string> =>
    service === "scheduler" && schedulerRunsWorkers ? { WEIR_MODEL_WORKER_ENTRY: entryOf(root, "model-worker") } : {};

  try {
    await Promise.all(CONTROL_SERVICES.map((s) => start(s, s, extraFor(s))));
    const workers: Promise<ServiceProcess>[] = [];
    for (const tier of schedulerRunsWorkers ? [] : config.tiers) {
      for (let i = 1; i <= tier.replicas; i++) {
        const id = `${tier.name}-${i}`;
        workers.push(start(`worker:${id}`, "model-worker", { WEIR_TIER: tier.name, WEIR_INSTANCE_ID: id }));
      }
    }
    await Promise.all(workers);
    const gateway = await start("gateway", "gateway");
    const host = String(gateway.info.host ?? config.gateway.host);
    return {
      config,
      nats,
      processes,
      httpUrl: `http://${host}:${String(gateway.info.httpPort)}`,
      grpcAddress: `${host}:${String(gateway.info.grpcPort)}`,
      process: (label) => processes.find((p) => p.label === label),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
