import type { Logger } from "@weir/runtime";
import type { IndexedStream } from "./indexed-stream.js";
import type { KvManagerSettings } from "./settings.js";
import type { SnapshotStore, StoredSnapshot } from "./snapshot-store.js";

/** What one tick did, for the metrics. */
export type SnapshotOutcome = "written" | "skipped" | "lost-race" | "failed";

export interface SnapshotHooks {
  onOutcome?(outcome: SnapshotOutcome): void;
  /** The newest snapshot this replica knows of (written by it or found in the store). */
  onNewest?(snapshot: { bytes: number; takenAtMs: number }): void;
}

export interface SnapshotScheduleOptions {
  stream: IndexedStream;
  store: SnapshotStore;
  settings: Pick<KvManagerSettings, "snapshotEveryEvents" | "snapshotEveryMs">;
  log: Logger;
  hooks?: SnapshotHooks;
  /** This replica's clock (ms). */
  now?: () => number;
  /** Tick on a timer (default true; tests call tick() themselves). */
  timer?: boolean;
  /** When the snapshot the stream was restored from was taken; default now (restored from nothing). */
  restoredAtMs?: number;
}

export interface SnapshotSchedule {
  /** One check (what the timer runs): writes a snapshot when one is due. */
  tick(): Promise<SnapshotOutcome | "idle">;
  /** Stops the timer and waits for a write in flight. */
  stop(): Promise<void>;
}

/**
 * Whether a stored snapshot already does the job, seen from a replica at
 * `position` at time `now`: it is of this stream and either ahead of this
 * replica (which is still catching up, and must not replace it with an older
 * one) or within both limits: fewer than everyEvents behind and younger than
 * everyMs.
 */
export function storedIsFresh(
  stored: StoredSnapshot,
  position: bigint,
  now: number,
  settings: Pick<KvManagerSettings, "snapshotEveryEvents" | "snapshotEveryMs">,
): boolean {
  if (!stored.ofThisStream) return false;
  if (stored.streamSequence >= position) return true;
  const eventsBehind = position - stored.streamSequence;
  const fewEvents = settings.snapshotEveryEvents === 0 || eventsBehind < BigInt(settings.snapshotEveryEvents);
  const recent = settings.snapshotEveryMs === 0 || now - stored.takenAtMs < settings.snapshotEveryMs;
  return fewEvents && recent;
}

/**
 * Writes the index to the snapshot store every snapshotEveryEvents changes or
 * snapshotEveryMs (whichever first; 0 turns a trigger off, both 0 turn
 * snapshots off).
 *
 * Any replica may write: every replica applies the same stream in the same
 * order, so at one stream sequence their indexes are equal (up to instance
 * drops, which each replica decides from the same instance directory, a
 * sweep apart). With several replicas, a replica whose own trigger fires
 * first looks at the stored snapshot's metadata and writes only if that one
 * is not fresh (storedIsFresh); the write is compare-and-set on the object's
 * revision, so of two replicas deciding at once one wins and the other counts
 * "lost-race". The cost is one small request per trigger and about one write
 * per interval for the whole set of replicas.
 */
export function startSnapshotSchedule(opts: SnapshotScheduleOptions): SnapshotSchedule {
  const { stream, store, settings, log, hooks = {}, now = Date.now } = opts;
  const enabled = settings.snapshotEveryEvents > 0 || settings.snapshotEveryMs > 0;
  // Changes and time since the newest snapshot this replica knows of: at
  // first, the one the stream was restored from (its changes count from 0).
  let baseline = { changes: 0, atMs: opts.restoredAtMs ?? now() };
  let inFlight: Promise<unknown> = Promise.resolve();

  const localTrigger = (): boolean => {
    const changed = stream.changes - baseline.changes;
    if (changed === 0) return false;
    const byEvents = settings.snapshotEveryEvents > 0 && changed >= settings.snapshotEveryEvents;
    const byTime = settings.snapshotEveryMs > 0 && now() - baseline.atMs >= settings.snapshotEveryMs;
    return byEvents || byTime;
  };

  const attempt = async (): Promise<SnapshotOutcome> => {
    const stored = await store.peek();
    const position = stream.streamSequence;
    if (stored !== undefined && storedIsFresh(stored, position, now(), settings)) {
      // Another replica wrote it: count from there.
      const behind = position > stored.streamSequence ? Number(position - stored.streamSequence) : 0;
      baseline = { changes: stream.changes - behind, atMs: stored.takenAtMs };
      hooks.onNewest?.({ bytes: stored.bytes, takenAtMs: stored.takenAtMs });
      return "skipped";
    }
    const changesAtSnapshot = stream.changes;
    const encoded = await stream.snapshot(now);
    const saved = await store.save(encoded, stored?.revision ?? 0);
    if (saved === false) {
      baseline = { changes: stream.changes, atMs: now() };
      return "lost-race";
    }
    baseline = { changes: changesAtSnapshot, atMs: encoded.takenAtMs };
    hooks.onNewest?.({ bytes: saved.bytes, takenAtMs: encoded.takenAtMs });
    log.debug({ streamSequence: encoded.streamSequence.toString(), bytes: saved.bytes }, "KV index snapshot written");
    return "written";
  };

  const tick = async (): Promise<SnapshotOutcome | "idle"> => {
    if (!enabled || !localTrigger()) return "idle";
    const running = attempt().catch((err: unknown): SnapshotOutcome => {
      log.warn({ err }, "KV index snapshot not written");
      // Try again after a whole interval, not on every tick.
      baseline = { changes: stream.changes, atMs: now() };
      return "failed";
    });
    inFlight = running;
    const outcome = await running;
    hooks.onOutcome?.(outcome);
    return outcome;
  };

  // Checking is cheap (two subtractions); a tick resolution of a second is plenty against intervals of tens of seconds.
  const tickMs = settings.snapshotEveryMs > 0 ? Math.min(1_000, Math.max(20, settings.snapshotEveryMs / 4)) : 1_000;
  let ticking = false;
  const timer =
    opts.timer === false
      ? undefined
      : setInterval(() => {
          if (ticking) return;
          ticking = true;
          void tick().finally(() => {
            ticking = false;
          });
        }, tickMs);
  timer?.unref();

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
