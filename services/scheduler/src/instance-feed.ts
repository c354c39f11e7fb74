import type { InstanceDirectory } from "@weir/bus";
import type { InstanceRegistry } from "@weir/placement";

export interface InstanceFeed {
  /** True once every entry the bucket held at start has been applied. */
  caughtUp(): boolean;
  /** Resolves when caughtUp() turns true. */
  readonly whenCaughtUp: Promise<void>;
  stop(): void;
}

export interface InstanceFeedOptions {
  /** Wall clock in ms, to age entries read on catch-up. Default Date.now. */
  now?: () => number;
  onError?: (err: unknown) => void;
}

/**
 * Keeps a registry in step with the instance directory (the NATS KV bucket
 * every worker puts its heartbeats into): a put is a heartbeat, a delete a
 * worker that left cleanly.
 *
 * Liveness stays the registry's own judgement, on its own clock: the put of a
 * worker that stops heartbeating ages out after heartbeatTimeoutMs. Entries
 * already in the bucket when the watch starts are the exception: a key
 * outlives a crashed worker (until the bucket's TTL), so each is aged by the
 * timestamp its worker wrote, or a replica that starts late would place on a
 * worker that died minutes ago. Clock skew only shifts that first judgement;
 * the worker's next live put is aged 0.
 */
export async function feedRegistry(
  directory: InstanceDirectory,
  registry: InstanceRegistry,
  options: InstanceFeedOptions = {},
): Promise<InstanceFeed> {
  const now = options.now ?? Date.now;
  let caughtUp = false;
  let markCaughtUp: () => void = () => undefined;
  const whenCaughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  const stop = await directory.watch({
    onPut(hb) {
      registry.upsert(hb, caughtUp ? 0 : now() - Number(hb.timestampMs));
    },
    onRemove(_tier, instanceId) {
      registry.remove(instanceId);
    },
    onCaughtUp() {
      caughtUp = true;
      markCaughtUp();
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { caughtUp: () => caughtUp, whenCaughtUp, stop };
}
