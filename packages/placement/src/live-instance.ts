/**
 * What placement knows about one worker instance: its last heartbeat plus the
 * registry's own bookkeeping. A snapshot: the registry hands out copies, so a
 * caller holding one never sees it change under it.
 */
export interface LiveInstance {
  readonly instanceId: string;
  readonly tier: string;
  /** gRPC address (host:port) of its WorkerService. */
  readonly address: string;
  readonly model: string;
  readonly engine: string;
  /** Generations running, as of the last heartbeat. */
  readonly running: number;
  /** Generations queued, as of the last heartbeat. */
  readonly waiting: number;
  readonly maxConcurrency: number;
  /** Fraction of KV blocks in use (0..1). */
  readonly kvUsage: number;
  /** KV blocks in all (0 = unknown). */
  readonly kvBlocksTotal: number;
  /** Prompt tokens admitted and not yet prefilled: the prefill work queued ahead. */
  readonly waitingPromptTokens: number;
  /** Requests the instance queues beyond maxConcurrency before refusing (0 = unbounded). */
  readonly maxWaiting: number;
  /** When the registry received the last heartbeat, on the registry's clock (ms). */
  readonly lastSeenMs: number;
  /** Placements made since the last heartbeat, which that heartbeat could not count yet. */
  readonly inflight: number;
}
