// @weir/kv-index: the global prefix index the kv-cache-manager serves, built
// from the workers' KV events (weir.v1.KvEvent).
export {
  PrefixIndex,
  type ApplyResult,
  type InstanceMatch,
  type PrefixIndexStats,
} from "./prefix-index.js";
export type { SnapshotPoint } from "./index-snapshot.js";
