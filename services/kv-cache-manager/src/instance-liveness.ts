import type { WorkerHeartbeat } from "@weir/proto";

/** Why an instance left the index. */
export type DropReason = "removed" | "silent";

export interface InstanceLivenessOptions {
  /** config scheduler.heartbeatTimeoutMs: longer than this without a heartbeat put, an instance is dead. */
  timeoutMs: number;
  /** The instances the index tracks. */
  tracked(): Iterable<string>;
  /** Drops an instance from the index. */
  drop(instanceId: string, reason: DropReason): void;
  /** This replica's clock (ms). */
  now?: () => number;
}

/**
 * Decides which instances are dead, from the instance directory (every
 * worker's latest heartbeat in a NATS KV bucket) and this replica's clock.
 *
 * - a key deleted from the directory (a clean shutdown): dead at once;
 * - no heartbeat put seen for longer than timeoutMs (a crash; the bucket's
 *   own TTL removes the key only after minutes, and silently): dead at the
 *   next sweep.
 *
 * Liveness is judged on the time a put reached this replica, never on the
 * worker's timestamp, so clock skew between machines does not matter. An
 * instance the index holds but the directory never mentioned (it came from
 * replayed events or a snapshot, and is gone) gets one timeoutMs of grace
 * from the first sweep that sees it, like any silent instance. Nothing is
 * judged before the directory watcher has delivered the bucket's existing
 * entries: until then every instance would look silent.
 */
export class InstanceLiveness {
  private readonly lastPut = new Map<string, number>();
  private current = false;
  private readonly now: () => number;

  constructor(private readonly opts: InstanceLivenessOptions) {
    this.now = opts.now ?? Date.now;
  }

  onPut(hb: WorkerHeartbeat): void {
    if (hb.instanceId !== "") this.lastPut.set(hb.instanceId, this.now());
  }

  onRemove(_tier: string, instanceId: string): void {
    this.lastPut.delete(instanceId);
    this.opts.drop(instanceId, "removed");
  }

  /** The directory watcher delivered the existing entries: silence can be judged from now on. */
  onCaughtUp(): void {
    this.current = true;
  }

  /** Drops the instances silent for longer than timeoutMs; run it every fraction of the timeout. */
  sweep(): void {
    if (!this.current) return;
    const now = this.now();
    const silentSince = now - this.opts.timeoutMs;
    for (const id of [...this.opts.tracked()]) {
      const last = this.lastPut.get(id);
      if (last === undefined) this.lastPut.set(id, now);
      else if (last < silentSince) {
        this.lastPut.delete(id);
        this.opts.drop(id, "silent");
      }
    }
    // Instances that never had blocks here are remembered only as long as they matter.
    for (const [id, last] of this.lastPut) if (last < silentSince) this.lastPut.delete(id);
  }
}
