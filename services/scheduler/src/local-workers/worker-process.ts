// One model-worker child process and the WEIR_READY protocol. A minimal copy
// of @weir/cli's stack/service-process.ts: the scheduler must not depend on
// the CLI, and the two differ in what they need (here: the pid for logs, an
// exit callback for a worker that dies after it was ready).

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { READY_MARKER } from "@weir/runtime";

export interface WorkerProcessOptions {
  id: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  nodeArgs?: readonly string[];
  onLine(id: string, line: string, stream: "stdout" | "stderr"): void;
  readyTimeoutMs: number;
}

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  pid: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves once the worker printed WEIR_READY; rejects with the last lines when it exits or times out first. */
  ready: Promise<void>;
  /** SIGTERM (the worker drains and leaves the instance directory), SIGKILL after graceMs. */
  stop(graceMs: number): Promise<number | null>;
  /** SIGKILL now, synchronously: the last resort when the scheduler itself exits. */
  kill(): void;
}

const READY_PREFIX = `${READY_MARKER} `;

export function spawnWorkerProcess(o: WorkerProcessOptions): WorkerProcess {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.entry], { env: o.env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A spawn failure (entry missing, EACCES) arrives as "error", not "exit".
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
  const tail: string[] = [];
  let isReady = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    const timer = setTimeout(() => {
      if (isReady) return;
      child.kill("SIGKILL");
      reject(new Error(`worker ${o.id} did not print WEIR_READY within ${o.readyTimeoutMs} ms; its last lines:\n${tail.join("\n")}`));
    }, o.readyTimeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!isReady) reject(new Error(`worker ${o.id} exited with code ${String(code)} before it was ready; its last lines:\n${tail.join("\n")}`));
    });
    void spawnFailed.then((err) => {
      clearTimeout(timer);
      reject(new Error(`worker ${o.id} could not be started (${o.entry}): ${err.message}`));
    });
  });
  ready.catch(() => undefined); // the supervisor awaits it; never an unhandled rejection
  for (const stream of ["stdout", "stderr"] as const) {
    createInterface({ input: child[stream] }).on("line", (line) => {
      if (!isReady && stream === "stdout" && line.startsWith(READY_PREFIX)) {
        isReady = true;
        markReady();
      }
      tail.push(line);
      if (tail.length > 20) tail.shift();
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
