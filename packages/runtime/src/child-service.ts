// A Weir service as a child process, and the WEIR_READY protocol
// (announce-ready.ts): the local stack (`weir start`) starts every service
// this way, and a scheduler with scheduler.localWorkers its model-workers.

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { READY_MARKER } from "./announce-ready.js";
import { PARENT_PID_ENV } from "./parent-watch.js";

export interface ChildServiceOptions {
  /** Names the child in log lines and errors, e.g. "gateway" or "small-1". */
  id: string;
  /** Absolute path of the service's dist/main.js. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Every output line of the child except its WEIR_READY line. */
  onLine(id: string, line: string, stream: "stdout" | "stderr"): void;
  readyTimeoutMs: number;
}

export interface ChildService {
  id: string;
  child: ChildProcess;
  pid: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with the JSON of the child's WEIR_READY line (ports, ids); rejects with its last lines when it exits or times out first. */
  ready: Promise<Record<string, unknown>>;
  /** SIGTERM (the service drains), SIGKILL after graceMs. Resolves with the exit code. */
  stop(graceMs: number): Promise<number | null>;
  /** SIGKILL now, synchronously: the last resort when the parent itself exits. */
  kill(): void;
}

const READY_PREFIX = `${READY_MARKER} `;

export function spawnChildService(o: ChildServiceOptions): ChildService {
  // WEIR_PARENT_PID: the child drains if this process dies without stopping it (parent-watch.ts).
  const env = { ...o.env, [PARENT_PID_ENV]: String(process.pid) };
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.entry], { env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A spawn failure (entry missing, EACCES) arrives as "error", not "exit".
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
  const tail: string[] = [];
  let isReady = false;
  let markReady: (info: Record<string, unknown>) => void = () => undefined;
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    markReady = resolve;
    const timer = setTimeout(() => {
      if (isReady) return;
      child.kill("SIGKILL");
      reject(new Error(`${o.id} did not print WEIR_READY within ${o.readyTimeoutMs} ms; its last lines:\n${tail.join("\n")}`));
    }, o.readyTimeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!isReady) reject(new Error(`${o.id} exited with code ${String(code)} before it was ready; its last lines:\n${tail.join("\n")}`));
    });
    void spawnFailed.then((err) => {
      clearTimeout(timer);
      reject(new Error(`${o.id} could not be started (${o.entry}): ${err.message}`));
    });
  });
  ready.catch(() => undefined); // the caller awaits it; never an unhandled rejection
  for (const stream of ["stdout", "stderr"] as const) {
    createInterface({ input: child[stream] }).on("line", (line) => {
      if (!isReady && stream === "stdout" && line.startsWith(READY_PREFIX)) {
        isReady = true;
        markReady(readyInfo(line.slice(READY_PREFIX.length)));
        return;
      }
      tail.push(line);
      if (tail.length > 40) tail.shift();
      o.onLine(o.id, line, stream);
    });
  }
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    id: o.id,
    child,
    pid: child.pid,
    exited,
    ready,
    async stop(graceMs) {
      if (gone() || child.pid === undefined) return child.exitCode;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
    kill() {
      if (!gone()) child.kill("SIGKILL");
    },
  };
}

function readyInfo(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
