import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Everything the testkit spawns or creates is registered here, so that a test
 * run that fails, forgets a stop() or is interrupted leaves no nats-server or
 * service process running and no temp directory behind.
 */
const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let installed = false;

export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once("exit", () => children.delete(child));
}

export function trackDir(dir: string): void {
  install();
  dirs.add(dir);
}

export function forgetDir(dir: string): void {
  dirs.delete(dir);
}

/**
 * Sends `signal` to the child's whole process group. Children are spawned
 * detached (their own group), so a wrapper such as `pnpm exec` or `tsx` takes
 * its grandchildren down with it.
 */
export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Synchronous on purpose: it runs from the process "exit" event. */
function cleanupNow(): void {
  for (const child of children) killTree(child, "SIGKILL");
  children.clear();
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
  dirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupNow();
  // Re-raise only when nobody else handles the signal, so the default
  // behaviour (terminate) is kept without overriding a runner's own handler.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once("exit", cleanupNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, onSignal);
}
