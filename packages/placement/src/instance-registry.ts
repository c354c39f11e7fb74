import type { WorkerHeartbeat } from "@weir/proto";
import type { LiveInstance } from "./live-instance.js";

export interface InstanceRegistryOptions {
  /** An instance whose last heartbeat is older than this is gone. */
  expireAfterMs: number;
  /** The clock, in ms; injectable so tests control time. Default Date.now. */
  now?: () => number;
}

interface Entry {
  instance: MutableInstance;
  sequence: bigint;
  draining: boolean;
}

type MutableInstance = { -readonly [K in keyof LiveInstance]: LiveInstance[K] };

/**
 * The scheduler's live view of every worker, built from heartbeats.
 *
 * - Out-of-order heartbeats (sequence not above the last one applied) are
 *   ignored, unless the instance has expired meanwhile: then the heartbeat
 *   starts a new incarnation, so a worker restarted under the same id (its
 *   sequence back at 1) is accepted at the latest one expiry window later.
 * - Liveness is judged on the registry's own clock (when a heartbeat arrived),
 *   never on the worker's timestamp, so clock skew between machines is harmless.
 * - live() never returns an expired instance, whether or not expire() has run;
 *   expire() only frees the memory.
 * - A draining instance stays known (it still finishes its work) but is not
 *   placeable.
 * - notePlaced() counts placements made since the last heartbeat, so a burst
 *   of requests between two heartbeats spreads over instances instead of all
 *   landing on the one that looked idlest; the next heartbeat, which counts
 *   them itself, resets the counter.
 */
export class InstanceRegistry {
  private readonly expireAfterMs: number;
  private readonly now: () => number;
  private readonly byId = new Map<string, Entry>();
  private readonly byTier = new Map<string, Map<string, Entry>>();

  constructor(options: InstanceRegistryOptions) {
    if (!(options.expireAfterMs > 0)) {
      throw new RangeError(`expireAfterMs must be a positive number of ms, got ${options.expireAfterMs}`);
    }
    this.expireAfterMs = options.expireAfterMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Applies a heartbeat; an out-of-order one is ignored (see the class comment).
   * ageMs: how long ago the heartbeat was sent, when it was not just received
   * (a replica catching up on a shared directory reads old entries, some from
   * workers long dead); it counts as seen that long ago. Default 0.
   */
  upsert(hb: WorkerHeartbeat, ageMs = 0): void {
    const now = this.now();
    const existing = this.byId.get(hb.instanceId);
    if (existing && hb.sequence <= existing.sequence && !this.isExpired(existing, now)) return;
    if (existing && existing.instance.tier !== hb.tier) this.remove(hb.instanceId);

    const load = hb.load;
    const instance: MutableInstance = {
      instanceId: hb.instanceId,
      tier: hb.tier,
      address: hb.address,
      model: hb.model,
      engine: hb.engine,
      running: load?.running ?? 0,
      waiting: load?.waiting ?? 0,
      maxConcurrency: load?.maxConcurrency ?? 0,
      kvUsage: load?.kvUsage ?? 0,
      kvBlocksTotal: load?.kvBlocksTotal ?? 0,
      waitingPromptTokens: load?.waitingPromptTokens ?? 0,
      maxWaiting: load?.maxWaiting ?? 0,
      lastSeenMs: now - Math.max(0, ageMs),
      inflight: 0,
    };
    const entry: Entry = { instance, sequence: hb.sequence, draining: hb.draining };
    this.byId.set(hb.instanceId, entry);
    let tier = this.byTier.get(hb.tier);
    if (!tier) {
      tier = new Map();
      this.byTier.set(hb.tier, tier);
    }
    tier.set(hb.instanceId, entry);
  }

  /** Forgets an instance at once (e.g. it said goodbye); unknown ids are ignored. */
  remove(instanceId: string): void {
    const entry = this.byId.get(instanceId);
    if (!entry) return;
    this.byId.delete(instanceId);
    const tier = this.byTier.get(entry.instance.tier);
    tier?.delete(instanceId);
    if (tier?.size === 0) this.byTier.delete(entry.instance.tier);
  }

  /** Placeable instances of a tier: heard from within expireAfterMs and not draining. */
  live(tier: string): LiveInstance[] {
    const entries = this.byTier.get(tier);
    if (!entries) return [];
    const now = this.now();
    const out: LiveInstance[] = [];
    for (const entry of entries.values()) {
      if (!entry.draining && !this.isExpired(entry, now)) out.push({ ...entry.instance });
    }
    return out;
  }

  /** How many unexpired instances a tier has, placeable or draining: for error messages. */
  counts(tier: string): { live: number; draining: number } {
    const counts = { live: 0, draining: 0 };
    const entries = this.byTier.get(tier);
    if (!entries) return counts;
    const now = this.now();
    for (const entry of entries.values()) {
      if (this.isExpired(entry, now)) continue;
      if (entry.draining) counts.draining++;
      else counts.live++;
    }
    return counts;
  }

  /** Tiers with at least one known instance (draining or not yet expired), sorted. */
  tiers(): string[] {
    return [...this.byTier.keys()].sort();
  }

  /** Drops every expired instance; returns their ids. */
  expire(): string[] {
    const now = this.now();
    const dropped: string[] = [];
    for (const [id, entry] of this.byId) {
      if (this.isExpired(entry, now)) dropped.push(id);
    }
    for (const id of dropped) this.remove(id);
    return dropped;
  }

  /** Records a placement on an instance until its next heartbeat accounts for it. */
  notePlaced(instanceId: string): void {
    const entry = this.byId.get(instanceId);
    if (entry) entry.instance.inflight++;
  }

  private isExpired(entry: Entry, now: number): boolean {
    return now - entry.instance.lastSeenMs > this.expireAfterMs;
  }
}
