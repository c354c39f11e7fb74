// One service of the local stack as a child process, ready once it printed
// WEIR_READY (@weir/runtime's spawnChildService, which the scheduler's local
// workers use too).

import type { ChildProcess } from "node:child_process";
import { spawnChildService } from "@weir/runtime";

export interface ServiceProcessOptions {
  /** Label for log lines, e.g. "gateway" or "worker:small-1". */
  label: string;
  /** Absolute path to the service's dist/main.js. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof), from WEIR_NODE_ARGS when unset. */
  nodeArgs?: string[];
  /** Receives every output line of the child (already labelled by the caller). */
  onLine: (label: string, line: string, stream: "stdout" | "stderr") => void;
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  label: string;
  child: ChildProcess;
  /** The JSON the service printed on its WEIR_READY line (ports, ids). */
  info: Record<string, unknown>;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after graceMs. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts one service process and resolves once it prints its WEIR_READY line. */
export async function startServiceProcess(opts: ServiceProcessOptions): Promise<ServiceProcess> {
  const nodeArgs = opts.nodeArgs ?? (opts.env.WEIR_NODE_ARGS ? opts.env.WEIR_NODE_ARGS.split(" ").filter(Boolean) : []);
  const svc = spawnChildService({
    id: opts.label,
    entry: opts.entry,
    env: opts.env,
    nodeArgs,
    onLine: opts.onLine,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
  });
  const info = await svc.ready;
  return { label: opts.label, child: svc.child, info, exited: svc.exited, stop: (graceMs = 10_000) => svc.stop(graceMs) };
}
