// One deployment through the live stack: its weir.yaml in a temp dir, a
// fresh nats-server on a free port (no KV state from the previous
// deployment), every service as a process, the open-loop replay, then
// everything stopped and the temp dir removed, whatever happened.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { applyDeploymentPlan } from "../../plan/apply-plan.js";
import { anyFreePort, ensureNats } from "../../stack/nats-supervisor.js";
import { startStack } from "../../stack/stack.js";
import type { BenchDeployment } from "../bench-deployments.js";
import { type LiveConfigOptions, liveConfig } from "./live-config.js";
import type { LiveRecord, RowLabels } from "./live-record.js";
import { type ReplayItem, replayOpenLoop } from "./replay-open-loop.js";
import { streamChat } from "./sse-chat.js";

export interface LiveDeploymentOptions extends LiveConfigOptions {
  items: readonly ReplayItem[];
  /** Sent all at once, twice, before the measured replay (see warmUpItems); not recorded. */
  warmUp: readonly ReplayItem[];
  labels: RowLabels;
  /** Client deadline of one request, wall ms. */
  deadlineMs: number;
  readyTimeoutMs?: number;
  onStage?: (stage: string, done: number, total: number) => void;
}

export interface LiveDeploymentRun {
  records: LiveRecord[];
  /** What the live run does differently from the deployment as planned. */
  notes: string[];
  /** Wall seconds: starting the stack, warming it up, and the replay. */
  startupS: number;
  warmUpS: number;
  replayS: number;
  /** The weir.yaml it ran. */
  yaml: string;
}

/** A warm-up request may take this long, wall ms (the first burst on a fresh stack is slow); its outcome is not used. */
const WARM_UP_DEADLINE_MS = 60_000;

/** The last lines every service printed, for an error that needs them. */
const LOG_TAIL = 40;

export async function runLiveDeployment(d: BenchDeployment, o: LiveDeploymentOptions): Promise<LiveDeploymentRun> {
  const { yaml, notes, plan } = liveConfig(d, o);
  const dir = mkdtempSync(join(tmpdir(), `weir-bench-live-${d.name}-`));
  const configPath = join(dir, "weir.yaml");
  writeFileSync(configPath, yaml);
  const tail: string[] = [];
  const t0 = performance.now();
  // Our own NATS, so Weir's plan can be stored before any service starts
  // (the scheduler boots straight into it, the router reads it before serving).
  const nats = await ensureNats(`nats://127.0.0.1:${await anyFreePort()}`);
  try {
    o.onStage?.(`starting ${d.name}`, 0, o.items.length);
    if (plan !== undefined) await applyDeploymentPlan(plan, { natsUrl: nats.url });
    const stack = await startStack({
      configPath,
      natsUrl: nats.url,
      // Quiet services and no trace export: the bench measures serving, not logging.
      env: { LOG_LEVEL: "warn", OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none", WEIR_DRAIN_TIMEOUT_MS: "2000" },
      onLine: (label, line) => {
        tail.push(`${label} | ${line}`);
        if (tail.length > LOG_TAIL) tail.shift();
      },
      readyTimeoutMs: o.readyTimeoutMs ?? 60_000,
    });
    // Ctrl-C or SIGTERM during a run: drain this stack and its NATS before
    // exiting, so an interrupted bench leaves no process behind.
    const interrupted = (signal: NodeJS.Signals) => {
      void stack
        .stop()
        .then(() => nats.stop())
        .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", interrupted);
    process.once("SIGTERM", interrupted);
    try {
      const tw = performance.now();
      for (let round = 1; round <= 2; round++) {
        o.onStage?.(`warming up ${d.name} (${round}/2)`, 0, o.items.length);
        await Promise.all(o.warmUp.map((w) => streamChat(stack.httpUrl, w.messages, WARM_UP_DEADLINE_MS)));
      }
      const t1 = performance.now();
      const records = await replayOpenLoop(stack.httpUrl, o.items, {
        speedup: o.speedup,
        deadlineMs: o.deadlineMs,
        labels: o.labels,
        onDone: (done, total) => o.onStage?.(`replaying ${d.name}`, done, total),
      });
      return { records, notes, startupS: (tw - t0) / 1000, warmUpS: (t1 - tw) / 1000, replayS: (performance.now() - t1) / 1000, yaml };
    } finally {
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      await stack.stop();
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`the live ${d.name} deployment failed: ${why}${tail.length > 0 ? `\nlast service lines:\n${tail.join("\n")}` : ""}`);
  } finally {
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
