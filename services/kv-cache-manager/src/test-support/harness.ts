import { create, toBinary } from "@bufbuild/protobuf";
import { jetstream } from "@nats-io/jetstream";
import {
  type Bus,
  type InstanceDirectory,
  KV_EVENTS_STREAM,
  ServicePrefix,
  Subjects,
  connectBus,
  createServiceClient,
  ensureStream,
  openInstanceDirectory,
} from "@weir/bus";
import { parseConfig } from "@weir/config";
import { PrefixIndex } from "@weir/kv-index";
import { KvCacheService, KvEventSchema, KvIndexSnapshotSchema, WorkerHeartbeatSchema, type KvEvent } from "@weir/proto";
import { createLogger } from "@weir/runtime";
import { Registry } from "prom-client";
import { KV_EVENTS_MAX_AGE_MS, type KvCacheManager, startKvCacheManager } from "../kv-cache-manager-service.js";
import { type NatsServerHandle, startNatsServer, waitFor } from "@weir/testkit";

export interface ManagerOptions {
  replicaId: string;
  /** scheduler.heartbeatTimeoutMs (default 60 s: nothing goes silent during a test). */
  heartbeatTimeoutMs?: number;
  env?: Record<string, string>;
}

export interface RunningManager extends KvCacheManager {
  registry: Registry;
  /** Stops the manager and closes its NATS connection (what SIGTERM does). */
  shutdown(): Promise<void>;
}

/**
 * A real nats-server, a connection that plays the workers (KV events to
 * JetStream, heartbeats to the instance directory) and the scheduler (match
 * requests), and kv-cache-managers started in this process with their own
 * connections, the way runService starts them.
 */
export class Harness {
  /** Every event published, in stream order: the reference index replays them. */
  readonly published: KvEvent[] = [];
  private readonly managers = new Set<RunningManager>();

  private constructor(
    readonly nats: NatsServerHandle,
    readonly bus: Bus,
    readonly directory: InstanceDirectory,
  ) {}

  static async start(): Promise<Harness> {
    const nats = await startNatsServer();
    const bus = await connectBus({ name: "kv-test", url: nats.url });
    await ensureStream(bus, { name: KV_EVENTS_STREAM, subjects: [Subjects.kvEventsAll], maxAgeMs: KV_EVENTS_MAX_AGE_MS });
    return new Harness(nats, bus, await openInstanceDirectory(bus));
  }

  /** Publishes events to WEIR_KV_EVENTS as the workers do; returns the last stream sequence. */
  async publish(events: KvEvent[]): Promise<number> {
    const js = jetstream(this.bus.nc);
    let seq = 0;
    for (const e of events) {
      seq = (await js.publish(Subjects.kvEvents(e.tier, e.instanceId), toBinary(KvEventSchema, e))).seq;
      this.published.push(e);
    }
    return seq;
  }

  /** Puts a heartbeat of each instance into the instance directory. */
  async heartbeat(tier: string, ...instanceIds: string[]): Promise<void> {
    for (const id of instanceIds) {
      await this.directory.put(create(WorkerHeartbeatSchema, { instanceId: id, tier, address: "127.0.0.1:1" }));
    }
  }

  async startManager(opts: ManagerOptions): Promise<RunningManager> {
    const timeout = opts.heartbeatTimeoutMs ?? 60_000;
    const config = parseConfig(
      `tiers:\n  - name: small\n    model: m\nscheduler:\n  heartbeatTimeoutMs: ${timeout}\nworker:\n  heartbeatIntervalMs: ${Math.max(1, Math.floor(timeout / 4))}\nnats:\n  url: ${this.nats.url}\n`,
    );
    const bus = await connectBus({ name: `kv-cache-manager-${opts.replicaId}`, url: this.nats.url });
    const registry = new Registry();
    const started = await startKvCacheManager({
      name: "kv-cache-manager",
      config,
      bus,
      log: createLogger("kv-cache-manager", { level: process.env["KV_TEST_LOG_LEVEL"] ?? "warn" }),
      registry,
      env: { WEIR_REPLICA_ID: opts.replicaId, ...opts.env },
    });
    const running: RunningManager = {
      ...started,
      registry,
      shutdown: async () => {
        this.managers.delete(running);
        await started.stop();
        await bus.drain().catch(() => undefined);
      },
    };
    this.managers.add(running);
    return running;
  }

  /** Waits until `m` is ready and has applied the stream up to `seq`. */
  async caughtUp(m: KvCacheManager, seq: number): Promise<void> {
    await waitFor(() => m.ready?.() === true && m.stream.streamSequence >= BigInt(seq), { timeoutMs: 20_000 });
  }

  /** The index every published event builds, applied directly: what every replica must hold. */
  reference(): PrefixIndex {
    const index = new PrefixIndex();
    for (const e of this.published) index.apply(e);
    return index;
  }

  /** A manager's index as snapshot bytes at its stream position (time left out): equal bytes, equal indexes. */
  static snapshotOf(m: KvCacheManager): Uint8Array {
    return toBinary(KvIndexSnapshotSchema, m.stream.index.toSnapshot({ streamSequence: m.stream.streamSequence }));
  }

  static snapshotBytes(index: PrefixIndex, streamSequence: number): Uint8Array {
    return toBinary(KvIndexSnapshotSchema, index.toSnapshot({ streamSequence: BigInt(streamSequence) }));
  }

  /** A KvCacheService client, as the scheduler holds one. */
  kvClient() {
    return createServiceClient(this.bus, KvCacheService, ServicePrefix.kv, { timeoutMs: 2_000 });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.managers].map((m) => m.shutdown()));
    await this.bus.close().catch(() => undefined);
    await this.nats.stop();
  }
}
