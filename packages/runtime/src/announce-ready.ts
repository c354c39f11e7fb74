import type { Logger } from "./logger.js";

/** The marker launchers look for at the start of a stdout line. */
export const READY_MARKER = "WEIR_READY";

/**
 * Tells whoever started the service that it is ready: one line
 * `WEIR_READY {"service":…,"pid":…,…info}` on stdout. The testkit and the
 * start script wait for it and read the ports from it, so a service passes
 * every port it bound (including ones picked by port 0) in `info`.
 */
export function announceReady(logger: Logger, info: Record<string, unknown> = {}): void {
  const service: unknown = logger.bindings()["service"];
  const payload = { service, pid: process.pid, ...info };
  logger.info(info, "ready");
  process.stdout.write(`${READY_MARKER} ${JSON.stringify(payload)}\n`);
}
