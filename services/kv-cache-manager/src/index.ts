// @weir/kv-cache-manager: the service (bin weir-kv-cache-manager). Exported
// for embedding and benchmarks; other services talk to it over NATS only.
export { KV_EVENTS_MAX_AGE_MS, startKvCacheManager, type KvCacheManager } from "./kv-cache-manager-service.js";
export { KV_BLOCK_SIZE } from "./kv-cache-endpoint.js";
