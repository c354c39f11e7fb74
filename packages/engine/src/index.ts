// The Engine interface a model-worker drives, and the PLACEHOLDER engine of
// the platform issue (fixed per-token delay, deterministic text). The engines
// issue adds the vLLM-style simulated engine behind the same interface.
export type {
  Engine,
  EngineChunk,
  EngineLoad,
  EngineUsage,
  FinishReason,
  KvEventInit,
  UsageInit,
} from "./engine.js";
export {
  PlaceholderEngine,
  PlaceholderEngineDefaults,
  type PlaceholderEngineOptions,
} from "./placeholder-engine.js";
export { PlaceholderPrefixCache, type PrefixAdmission, type StoredRun } from "./placeholder-prefix-cache.js";
export { ConcurrencyLimiter, type Release } from "./concurrency-limiter.js";
export { abortableSleep, type Sleep } from "./sleep.js";
