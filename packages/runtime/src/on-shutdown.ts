import type { Logger } from "./logger.js";
import { watchParent } from "./parent-watch.js";

export interface ShutdownOptions {
  /** Longest the drain may take before the process exits 1 anyway; default 30000 ms. */
  timeoutMs?: number;
  /** Where to say what is happening; silent without one. */
  logger?: Logger;
}

let registered = false;

/**
 * Graceful shutdown: on the first SIGTERM or SIGINT, run `drain` once
 * (stop taking work, finish what is in flight, close connections), then
 * exit 0. Exit 1 when the drain fails or outlasts `timeoutMs`; a second
 * signal means "now": exit 1 at once.
 *
 * The same drain runs when the process that started this one (its
 * WEIR_PARENT_PID) is gone, so a killed local stack leaves nothing behind.
 *
 * One drain per process, which stops everything: a second call throws, so
 * two parts of a service cannot race to exit.
 */
export function onShutdown(drain: (signal: string) => Promise<void>, opts: ShutdownOptions = {}): void {
  if (registered) throw new Error("onShutdown was already called in this process; register one drain function that stops everything");
  registered = true;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const log = opts.logger;
  let draining = false;

  const onSignal = (signal: string): void => {
    if (draining) {
      log?.warn({ signal }, "second signal while draining; exiting now");
      process.exit(1);
    }
    draining = true;
    log?.info({ signal, timeoutMs }, "shutting down: draining");
    // Referenced on purpose: if the drain hangs on a promise that nothing
    // else keeps alive, this timer still ends the process.
    const timer = setTimeout(() => {
      log?.error({ timeoutMs }, `drain did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    Promise.resolve()
      .then(() => drain(signal))
      .then(
        () => {
          clearTimeout(timer);
          log?.info("drained; exiting");
          process.exit(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          log?.error({ err: error }, "drain failed; exiting");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  watchParent(() => onSignal("parent exited"));
}
