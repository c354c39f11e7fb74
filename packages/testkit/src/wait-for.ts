export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Poll this often (default 25 ms). */
  intervalMs?: number;
  /** Names the awaited condition in the timeout error. */
  description?: string;
}

/**
 * Polls `pred` until it returns true. A predicate that throws counts as "not
 * yet" (the last error is reported on timeout), so callers can poll an
 * assertion or a request that fails until a service is up.
 */
export async function waitFor(
  pred: () => boolean | Promise<boolean>,
  opts: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await pred()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const what = opts.description ?? "condition";
  const why = lastError === undefined ? "" : `; last error: ${errorMessage(lastError)}`;
  throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${why}`, { cause: lastError });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
