import { ServicePrefix, createServiceClient, type Bus } from "@weir/bus";
import { KvCacheService } from "@weir/proto";

/** How long placement waits for the KV index before placing without it. */
export const KV_MATCH_TIMEOUT_MS = 50;

export interface CachedPrefix {
  /** Leading prompt blocks each instance holds. */
  byInstance: Map<string, number>;
  /** Tokens per block, as the index counts them. */
  blockSize: number;
}

/** Asks the global KV index which instances hold the prompt's prefix; undefined when it cannot say in time. */
export type PrefixLookup = (tier: string, blockHashes: bigint[]) => Promise<CachedPrefix | undefined>;

/**
 * The KV index (kv-cache-manager) over NATS, bounded by KV_MATCH_TIMEOUT_MS:
 * a slow or absent index costs placement at most that, never a failure.
 */
export function createPrefixLookup(bus: Bus, onSkip: (err: unknown) => void): PrefixLookup {
  const kv = createServiceClient(bus, KvCacheService, ServicePrefix.kv, { timeoutMs: KV_MATCH_TIMEOUT_MS });
  return async (tier, blockHashes) => {
    try {
      const res = await kv.match({ tier, blockHashes });
      return { byInstance: new Map(res.matches.map((m) => [m.instanceId, m.matchedBlocks])), blockSize: res.blockSize };
    } catch (err) {
      onSkip(err);
      return undefined;
    }
  };
}
