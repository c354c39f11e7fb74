import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** file:// URL of the built package entry, for scripts run in a child process. */
export const distEntry = new URL("../../dist/index.js", import.meta.url).href;

export interface Script {
  child: ChildProcess;
  /** Everything printed so far on stdout. */
  stdout(): string;
  /** Resolves once stdout holds a line starting with `prefix`. */
  waitForLine(prefix: string, timeoutMs?: number): Promise<string>;
  /** The exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Runs an ES module in a fresh `node` process: onShutdown installs signal
 * handlers and calls process.exit, which only a process of its own can
 * show. The script file is removed once the process exits; the process is
 * killed after `timeoutMs` so a hung case cannot hang the suite.
 */
export function spawnScript(source: string, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Script {
  const dir = mkdtempSync(join(tmpdir(), "weir-runtime-"));
  const file = join(dir, "script.mjs");
  writeFileSync(file, source);
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((check) => check());
  });
  const killTimer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 10_000);
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(killTimer);
      rmSync(dir, { recursive: true, force: true });
      listeners.forEach((check) => check());
      resolve(code);
    });
  });
  return {
    child,
    stdout: () => out,
    exited,
    waitForLine: (prefix, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no line starting with ${prefix} within ${timeoutMs} ms; stdout:\n${out}`));
        }, timeoutMs);
        function check(): void {
          const line = out.split("\n").find((l) => l.startsWith(prefix));
          if (line === undefined) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(line);
        }
        listeners.add(check);
        check();
      }),
  };
}
