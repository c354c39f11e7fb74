/** One request of an arrival trace. */
export interface TraceRequest {
  /** Arrival, in ms after the trace's first request (may be fractional: Azure has 100 ns resolution). */
  arrivalMs: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * Mooncake only: the prompt's prefix blocks of MOONCAKE_BLOCK_TOKENS tokens,
   * as ids; equal ids at the start of two prompts mean a shared, reusable KV prefix.
   */
  hashIds?: number[];
}

/** Tokens per Mooncake hash_ids block. */
export const MOONCAKE_BLOCK_TOKENS = 512;

/** Sorts by arrival (stable: ties keep file order) and makes arrivals relative to the first. */
export function fromFirstArrival(requests: TraceRequest[]): TraceRequest[] {
  requests.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const first = requests[0]?.arrivalMs ?? 0;
  if (first !== 0) for (const r of requests) r.arrivalMs -= first;
  return requests;
}
