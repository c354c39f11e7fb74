import { jetstreamManager } from "@nats-io/jetstream";
import { KV_EVENTS_STREAM, Subjects, ensureStream, openInstanceDirectory } from "@weir/bus";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { recreateDurableConsumer } from "./durable-consumer.js";
import { startEventFeed } from "./event-feed.js";
import type { IndexedStream } from "./indexed-stream.js";
import { kvCacheEndpoint } from "./kv-cache-endpoint.js";
import { InstanceLiveness } from "./instance-liveness.js";
import { createKvMetrics } from "./kv-metrics.js";
import { consumerName, replicaId } from "./replica-id.js";
import { restoreIndex } from "./restore-index.js";
import { readSettings } from "./settings.js";
import { startSnapshotSchedule } from "./snapshot-schedule.js";
import { openSnapshotStore } from "./snapshot-store.js";
import { createWarmUp } from "./warm-up.js";

/**
 * How long WEIR_KV_EVENTS keeps events. The workers ensure the stream with
 * the same limit (ensureStream brings the stream to the caller's spec, so the
 * two must agree). With snapshots the index no longer needs the whole history:
 * a replica resumes from the newest snapshot, which is at most
 * snapshotEveryMs (30 s by default) behind, so an hour leaves ample room for a
 * replica that is down for a while or a snapshot that failed for a while; a
 * replica down for longer resumes from its snapshot with a warning.
 */
export const KV_EVENTS_MAX_AGE_MS = 60 * 60 * 1000;

/** A started kv-cache-manager; `stream` (the index and its stream position) is there for tests and benchmarks. */
export interface KvCacheManager extends StartedService {
  readonly replicaId: string;
  readonly stream: IndexedStream;
  /** Where the index came from at start: the stored snapshot, or nothing (the stream replayed from its start). */
  readonly restoredFrom: "snapshot" | "empty";
}

/**
 * The kv-cache-manager: the global prefix index built from the workers' KV
 * events, served as KvCacheService (weir.kv.match) in a queue group.
 *
 * Replicated, not sharded (docs/notes/kv-cache-manager.md): every replica
 * consumes the whole stream through its own durable consumer and holds the
 * whole index, so any replica answers any match. On start a replica restores
 * the newest snapshot from the object store and resumes the stream after it;
 * it joins the queue group only once it has caught up, since a queue group
 * does not consult the readiness probe. Instances leave the index when the
 * instance directory says they are gone or silent.
 */
export async function startKvCacheManager(ctx: ServiceContext): Promise<KvCacheManager> {
  const settings = readSettings(ctx.env);
  const replica = replicaId(ctx.env);
  const log = ctx.log.child({ replica });
  await ensureStream(ctx.bus, { name: KV_EVENTS_STREAM, subjects: [Subjects.kvEventsAll], maxAgeMs: KV_EVENTS_MAX_AGE_MS });
  const jsm = await jetstreamManager(ctx.bus.nc);
  const { state, created } = await jsm.streams.info(KV_EVENTS_STREAM);
  const store = await openSnapshotStore(ctx.bus, created);

  const restored = await restoreIndex(store, { firstSeq: state.first_seq, lastSeq: state.last_seq }, log);
  const stream = restored.stream;
  log.info(
    { from: restored.source, streamSequence: stream.streamSequence.toString(), streamLastSequence: state.last_seq },
    "KV index restored; resuming the event stream",
  );

  const metrics = createKvMetrics(ctx.registry, {
    stats: () => stream.index.stats(),
    lag: async () => {
      const info = await jsm.streams.info(KV_EVENTS_STREAM).catch(() => undefined);
      return info === undefined ? undefined : Math.max(0, info.state.last_seq - Number(stream.streamSequence));
    },
  });
  if (restored.snapshot) metrics.noteSnapshot(restored.snapshot);

  const warmUp = createWarmUp({
    bus: ctx.bus,
    index: stream.index,
    log,
    maxInFlight: settings.warmUpMaxInFlight,
    onOutcome: (o) => metrics.warmUps.inc({ tier: o.tier, outcome: o.outcome }),
  });
  metrics.watchWarmUpsInFlight(() => warmUp.inFlight());

  // Served once caught up: until then this replica's answers would be stale.
  const endpoint = kvCacheEndpoint({
    bus: ctx.bus,
    index: stream.index,
    warmUp,
    metrics,
    log,
    position: () => stream.streamSequence,
  });

  const consumer = await recreateDurableConsumer(ctx.bus, {
    name: consumerName(replica),
    startSequence: stream.streamSequence + 1n,
    maxAckPending: settings.maxAckPending,
  });
  const feed = await startEventFeed(consumer, stream, log, {
    onEvent(event, result) {
      if (!result.applied) return;
      metrics.eventsApplied.inc({ kind: event.event.case ?? "unknown" });
      if (result.gap) {
        metrics.eventGaps.inc();
        log.warn({ instance: event.instanceId, expected: result.gap.expected.toString(), got: result.gap.got.toString() }, "gap in KV event sequence");
      }
    },
    onCaughtUp: () => endpoint.serve(),
  });

  const liveness = new InstanceLiveness({
    timeoutMs: ctx.config.scheduler.heartbeatTimeoutMs,
    tracked: () => stream.index.instanceIds(),
    drop: (instanceId, reason) =>
      stream.drop(instanceId, (blocks) => {
        metrics.noteDrop(reason);
        log.info({ instance: instanceId, reason, blocks }, "instance dropped from the KV index");
      }),
  });
  const directory = await openInstanceDirectory(ctx.bus);
  const stopWatching = await directory.watch({
    onPut: (hb) => liveness.onPut(hb),
    onRemove: (tier, instanceId) => liveness.onRemove(tier, instanceId),
    onCaughtUp: () => liveness.onCaughtUp(),
    onError: (err) => log.warn({ err }, "unreadable instance directory entry"),
  });
  // A few sweeps per timeout: an instance leaves at most a third of a timeout late.
  const sweepTimer = setInterval(() => liveness.sweep(), Math.max(50, ctx.config.scheduler.heartbeatTimeoutMs / 3));
  sweepTimer.unref();

  const snapshots = startSnapshotSchedule({
    stream,
    store,
    settings,
    log,
    ...(restored.snapshot ? { restoredAtMs: restored.snapshot.takenAtMs } : {}),
    hooks: {
      onOutcome: (outcome) => metrics.noteSnapshotOutcome(outcome),
      onNewest: (snapshot) => metrics.noteSnapshot(snapshot),
    },
  });

  return {
    replicaId: replica,
    stream,
    restoredFrom: restored.source,
    info: { replicaId: replica, consumer: consumerName(replica), restoredFrom: restored.source },
    ready: () => feed.caughtUp && endpoint.serving,
    async stop() {
      clearInterval(sweepTimer);
      stopWatching();
      warmUp.close(); // cancels the prefills in flight
      await endpoint.stop();
      await snapshots.stop();
      await feed.stop();
    },
  };
}
