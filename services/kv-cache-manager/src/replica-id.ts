import { hostname } from "node:os";

/**
 * This replica's id: WEIR_REPLICA_ID when set, else `<hostname>-<pid>`.
 *
 * It names the replica's durable JetStream consumer, so it must be unique
 * among the replicas running at one time: two processes pulling from one
 * durable split the stream between them, and each would build half an index.
 * The hostname alone is not unique when several replicas share a host (the
 * local stack), the pid alone not across hosts; together they are. Where a
 * stable name exists (a Kubernetes StatefulSet pod name, through the downward
 * API), set WEIR_REPLICA_ID to it: a restarted replica then re-creates its own
 * consumer instead of leaving one behind (those are deleted by the server
 * after CONSUMER_INACTIVE_MS, see durable-consumer.ts).
 */
export function replicaId(env: NodeJS.ProcessEnv, host: { hostname: string; pid: number } = defaultHost()): string {
  const fromEnv = env.WEIR_REPLICA_ID?.trim();
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : `${host.hostname}-${host.pid}`;
}

/**
 * The durable consumer's name for a replica id. Consumer names may not hold
 * ".", "*", ">", "/", "\" or whitespace; anything but letters, digits, "-"
 * and "_" becomes "_".
 */
export function consumerName(replica: string): string {
  return `kv-index-${replica.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function defaultHost(): { hostname: string; pid: number } {
  return { hostname: hostname(), pid: process.pid };
}
