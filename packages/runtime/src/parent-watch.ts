// A service started by another Weir process (the local stack, or a
// scheduler running its model-workers) exits with it: the parent puts its
// pid in WEIR_PARENT_PID, and the child drains once it has a different
// parent — the original one died, even by SIGKILL, and the child was
// reparented. Without this, a killed `weir start` would leave every
// service running, holding ports and NATS subscriptions.

export const PARENT_PID_ENV = "WEIR_PARENT_PID";

export interface ParentWatchOptions {
  /** The parent to outlive no longer than intervalMs; default $WEIR_PARENT_PID (none: no watch). */
  parentPid?: number | undefined;
  intervalMs?: number;
  /** The current parent's pid (tests). */
  ppid?: () => number;
}

/** Calls onGone once when the parent is gone; returns a function that stops watching. */
export function watchParent(onGone: () => void, o: ParentWatchOptions = {}): () => void {
  const fromEnv = Number(process.env[PARENT_PID_ENV]);
  const parent = o.parentPid ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
  if (parent === undefined) return () => undefined;
  const ppid = o.ppid ?? (() => process.ppid);
  const timer = setInterval(() => {
    if (ppid() === parent) return;
    clearInterval(timer);
    onGone();
  }, o.intervalMs ?? 1000);
  // Never the reason a process stays alive.
  timer.unref();
  return () => clearInterval(timer);
}
