export interface BackoffPolicy {
  /** Delay before the first retry, in ms; doubles with each further one. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

/**
 * How long to wait before retry number `retry` (1 = the first): exponential,
 * with "equal jitter" (half fixed, half random) so that workers whose
 * requests failed together do not all come back at the same moment. A
 * server's own Retry-After is honoured, up to maxMs.
 */
export function backoffMs(policy: BackoffPolicy, retry: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  const jittered = exp / 2 + (random() * exp) / 2;
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxMs));
}
