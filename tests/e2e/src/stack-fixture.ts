import { startStack, type Stack } from "@weir/cli/stack";
import { startNatsServer, startOtlpReceiver, type NatsServerHandle } from "@weir/testkit";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TierSpec {
  name: string;
  replicas: number;
  tokenDelayMs?: number;
  qeThreshold?: number;
  /** Default "placeholder". */
  engine?: "placeholder" | "sim" | "openai";
  /** Default test/<name>-model. */
  model?: string;
  /** More engineOptions (baseUrl, preset, replay, …), merged over the defaults. */
  engineOptions?: Record<string, unknown>;
}

export interface FixtureOptions {
  tiers?: TierSpec[];
  /** Fixed placeholder QE score (forces accept or escalation). */
  placeholderScore?: number;
  maxBodyBytes?: number;
  requestTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  /** WEIR__<section>__<field> overrides for every service (settings the yaml above does not write). */
  env?: Record<string, string>;
}

export interface StackFixture {
  stack: Stack;
  nats: NatsServerHandle;
  otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  logs: string[];
  stop(): Promise<void>;
}

const DEFAULT_TIERS: TierSpec[] = [
  { name: "small", replicas: 1, qeThreshold: 0.7 },
  { name: "large", replicas: 1, qeThreshold: 0 },
];

function yamlFor(opts: FixtureOptions): string {
  const tiers = (opts.tiers ?? DEFAULT_TIERS)
    .map(
      (t, i) => `  - name: ${t.name}
    model: ${JSON.stringify(t.model ?? `test/${t.name}-model`)}
    engine: ${t.engine ?? "placeholder"}
    pricing: { inputPerMTok: ${0.2 * (i + 1)}, outputPerMTok: ${0.4 * (i + 1)} }
    replicas: ${t.replicas}
    qeThreshold: ${t.qeThreshold ?? 0.7}
    engineOptions: ${JSON.stringify({ tokenDelayMs: t.tokenDelayMs ?? 1, maxConcurrency: 32, ...t.engineOptions })}`,
    )
    .join("\n");
  return `tiers:
${tiers}
gateway:
  httpPort: 0
  grpcPort: 0
  maxBodyBytes: ${opts.maxBodyBytes ?? 65536}
  requestTimeoutMs: ${opts.requestTimeoutMs ?? 10000}
judge:
  scorer: placeholder${opts.placeholderScore === undefined ? "" : `\n  placeholderScore: ${opts.placeholderScore}`}
scheduler:
  heartbeatTimeoutMs: ${opts.heartbeatTimeoutMs ?? 3000}
worker:
  heartbeatIntervalMs: 500
`;
}

/**
 * A whole Weir stack for one test file: its own nats-server on a free port,
 * an OTLP receiver collecting every service's spans, and the six services as
 * separate processes started by the same code as `npm start`.
 */
export async function startStackFixture(opts: FixtureOptions = {}): Promise<StackFixture> {
  const dir = mkdtempSync(join(tmpdir(), "weir-e2e-"));
  const configPath = join(dir, "weir.yaml");
  writeFileSync(configPath, yamlFor(opts));
  const nats = await startNatsServer();
  const otlp = await startOtlpReceiver();
  const logs: string[] = [];
  const stack = await startStack({
    configPath,
    natsUrl: nats.url,
    env: {
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_BSP_SCHEDULE_DELAY: "50",
      LOG_LEVEL: "info",
      WEIR_DRAIN_TIMEOUT_MS: "10000",
      ...opts.env,
    },
    onLine: (label, line) => {
      logs.push(`${label} | ${line}`);
      if (process.env.WEIR_E2E_VERBOSE) process.stdout.write(`${label} | ${line}\n`);
    },
  });
  return {
    stack,
    nats,
    otlp,
    logs,
    async stop() {
      await stack.stop();
      await otlp.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
