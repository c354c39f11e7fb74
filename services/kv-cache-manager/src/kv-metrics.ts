import type { PrefixIndexStats } from "@weir/kv-index";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { DropReason } from "./instance-liveness.js";
import type { SnapshotOutcome } from "./snapshot-schedule.js";

export interface KvMetricSources {
  stats(): PrefixIndexStats;
  /** Events in the stream not yet applied here; undefined when it cannot be told (NATS down). */
  lag(): Promise<number | undefined>;
  now?: () => number;
}

export interface KvMetrics {
  eventsApplied: Counter<"kind">;
  eventGaps: Counter;
  instancesDropped: Counter<"reason">;
  snapshots: Counter<"outcome">;
  matchRequests: Counter;
  /** Time match() spends in the index (no transport, no decoding). */
  matchSeconds: Histogram;
  /** Escalation warm-ups by tier and outcome (WarmUpOutcome). */
  warmUps: Counter<"tier" | "outcome">;
  /** Reports warm-ups in flight from `read` on every scrape. */
  watchWarmUpsInFlight(read: () => number): void;
  /** The newest snapshot this replica wrote, found or restored from. */
  noteSnapshot(snapshot: { bytes: number; takenAtMs: number }): void;
  noteDrop(reason: DropReason): void;
  noteSnapshotOutcome(outcome: SnapshotOutcome): void;
}

/** The kv-cache-manager's metrics, on the service's registry (served at /metrics). */
export function createKvMetrics(registry: Registry, sources: KvMetricSources): KvMetrics {
  const now = sources.now ?? Date.now;
  let newest: { bytes: number; takenAtMs: number } | undefined;
  const registers = [registry];

  const eventsApplied = new Counter({
    name: "weir_kv_events_applied_total",
    help: "KV events applied to the index, by kind (stored, removed, cleared).",
    labelNames: ["kind"] as const,
    registers,
  });
  const eventGaps = new Counter({
    name: "weir_kv_event_gaps_total",
    help: "Events that arrived after missing ones of the same instance (its view here may be incomplete).",
    registers,
  });
  const instancesDropped = new Counter({
    name: "weir_kv_instances_dropped_total",
    help: "Instances dropped from the index: removed from the instance directory, or silent past scheduler.heartbeatTimeoutMs.",
    labelNames: ["reason"] as const,
    registers,
  });
  const snapshots = new Counter({
    name: "weir_kv_snapshots_total",
    help: "Snapshot attempts by outcome: written, skipped (another replica's is fresh), lost-race, failed.",
    labelNames: ["outcome"] as const,
    registers,
  });
  const matchRequests = new Counter({
    name: "weir_kv_match_requests_total",
    help: "Match requests answered by this replica.",
    registers,
  });
  const matchSeconds = new Histogram({
    name: "weir_kv_match_seconds",
    help: "Time one match spends in the prefix index, without transport or decoding.",
    buckets: [10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 10e-3],
    registers,
  });
  const warmUps = new Counter({
    name: "weir_kv_warmups_total",
    help: "Escalation warm-ups by tier and outcome (cached, busy, no_idle_instance, too_short, started, completed, failed).",
    labelNames: ["tier", "outcome"] as const,
    registers,
  });
  let warmUpsInFlight: () => number = () => 0;
  new Gauge({
    name: "weir_kv_warmups_in_flight",
    help: "Warm-up prefills started by this replica and not yet ended.",
    registers,
    collect() {
      this.set(warmUpsInFlight());
    },
  });
  new Gauge({
    name: "weir_kv_index_blocks",
    help: "(instance, block) entries in the prefix index.",
    registers,
    collect() {
      this.set(sources.stats().blocks);
    },
  });
  new Gauge({
    name: "weir_kv_index_instances",
    help: "Instances the prefix index tracks.",
    registers,
    collect() {
      this.set(sources.stats().instances);
    },
  });
  new Gauge({
    name: "weir_kv_snapshot_age_seconds",
    help: "Age of the newest index snapshot this replica knows of (-1: none).",
    registers,
    collect() {
      this.set(newest === undefined ? -1 : (now() - newest.takenAtMs) / 1000);
    },
  });
  new Gauge({
    name: "weir_kv_snapshot_bytes",
    help: "Size of the newest index snapshot this replica knows of.",
    registers,
    collect() {
      this.set(newest?.bytes ?? 0);
    },
  });
  new Gauge({
    name: "weir_kv_consumer_lag_events",
    help: "KV events in the stream not yet applied to this replica's index.",
    registers,
    async collect() {
      const lag = await sources.lag();
      if (lag !== undefined) this.set(lag);
    },
  });

  return {
    eventsApplied,
    eventGaps,
    instancesDropped,
    snapshots,
    matchRequests,
    matchSeconds,
    warmUps,
    watchWarmUpsInFlight(read) {
      warmUpsInFlight = read;
    },
    noteSnapshot(snapshot) {
      if (newest === undefined || snapshot.takenAtMs >= newest.takenAtMs) newest = snapshot;
    },
    noteDrop(reason) {
      instancesDropped.inc({ reason });
    },
    noteSnapshotOutcome(outcome) {
      snapshots.inc({ outcome });
    },
  };
}
