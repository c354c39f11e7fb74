// The engine settings every simulated replica of a plan shares (vLLM's
// flags), part of every latency cache key: change one and every figure must
// be simulated again.

import type { KvCacheDtype } from "@weir/sim";

export interface SimSettings {
  /** Base seed of the step-time jitter. Default 0. */
  seed?: number;
  /** vLLM --gpu-memory-utilization. Default 0.9. */
  gpuMemoryUtilization?: number;
  /** vLLM --kv-cache-dtype. Default "bf16". */
  kvCacheDtype?: KvCacheDtype;
  /** vLLM --max-num-seqs. Default 256. */
  maxNumSeqs?: number;
  /** vLLM --max-num-batched-tokens. Default 8192. */
  maxNumBatchedTokens?: number;
}

export type ResolvedSimSettings = Required<SimSettings>;

export function resolveSimSettings(s: SimSettings = {}): ResolvedSimSettings {
  return {
    seed: s.seed ?? 0,
    gpuMemoryUtilization: s.gpuMemoryUtilization ?? 0.9,
    kvCacheDtype: s.kvCacheDtype ?? "bf16",
    maxNumSeqs: s.maxNumSeqs ?? 256,
    maxNumBatchedTokens: s.maxNumBatchedTokens ?? 8192,
  };
}

/** A stable text form, for cache keys. */
export function simSettingsKey(s: ResolvedSimSettings): string {
  return `seed${s.seed}-util${s.gpuMemoryUtilization}-${s.kvCacheDtype}-seqs${s.maxNumSeqs}-batch${s.maxNumBatchedTokens}`;
}
