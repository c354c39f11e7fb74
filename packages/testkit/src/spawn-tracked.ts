import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { killTree, trackChild } from "./cleanup.js";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  error?: Error;
}

export interface Spawned {
  child: ChildProcess;
  /** Resolves (never rejects) once the process has exited and its pipes are drained. */
  exited: Promise<ExitInfo>;
  /** Every output line so far, stdout and stderr interleaved as they arrived. */
  lines: string[];
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

/** Keeps memory bounded for chatty children; tests look at recent output. */
const MAX_LINES = 20_000;

/**
 * Spawns a child in its own process group, registered for kill-on-exit, and
 * splits its output into lines.
 */
export function spawnTracked(command: string, args: string[], opts: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, {
    env: opts.env ?? process.env,
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  trackChild(child);
  const lines: string[] = [];
  const push = (line: string, stream: "stdout" | "stderr"): void => {
    lines.push(line);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    opts.onLine?.(line, stream);
  };
  splitLines(child.stdout, (l) => push(l, "stdout"));
  splitLines(child.stderr, (l) => push(l, "stderr"));
  const exited = new Promise<ExitInfo>((resolve) => {
    // "close" (not "exit") so that the last lines have been read.
    child.once("close", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });
  return { child, exited, lines };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function terminate(sp: Spawned, graceMs: number): Promise<ExitInfo> {
  killTree(sp.child, "SIGTERM");
  const timer = setTimeout(() => killTree(sp.child, "SIGKILL"), graceMs);
  try {
    return await sp.exited;
  } finally {
    clearTimeout(timer);
  }
}

function splitLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  stream.setEncoding("utf8");
  let partial = "";
  stream.on("data", (chunk: string) => {
    partial += chunk;
    let nl = partial.indexOf("\n");
    while (nl >= 0) {
      onLine(partial.slice(0, nl).replace(/\r$/, ""));
      partial = partial.slice(nl + 1);
      nl = partial.indexOf("\n");
    }
  });
  stream.on("end", () => {
    if (partial !== "") onLine(partial);
    partial = "";
  });
}

export function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `could not be started (${info.error.message})`;
  if (info.signal !== null) return `was killed by ${info.signal}`;
  return `exited with code ${String(info.code)}`;
}
