import type { KvEvent, KvIndexSnapshot } from "@weir/proto";
import { BlockTable } from "./block-table.js";
import { type InstanceEntry, type SnapshotPoint, readSnapshot, snapshotParts, writeSnapshot } from "./index-snapshot.js";
import { type InstanceMatch, TierBlocks } from "./tier-blocks.js";

export type { InstanceMatch } from "./tier-blocks.js";

/** What apply() did with an event, for the service to count, log or resync on. */
export interface ApplyResult {
  /** false when the event was ignored: a duplicate or stale sequence, or no instance id. */
  applied: boolean;
  /** Events were missed before this one: the instance's view here may be incomplete. */
  gap?: { expected: bigint; got: bigint };
  /** The instance restarted (its sequence went back to 1): its old blocks were dropped first. */
  restarted?: boolean;
}

export interface PrefixIndexStats {
  /** Instances the index tracks (with or without blocks). */
  instances: number;
  /** (instance, block) entries. */
  blocks: number;
  /** Distinct block hashes, per tier, summed over tiers. */
  uniqueBlocks: number;
  tiers: number;
}

interface InstanceState extends InstanceEntry {
  blocks: BlockTable;
  /** The instance's slot in its tier's TierBlocks. */
  slot: number;
}

/**
 * The global prefix index: which instance holds which KV block, built from the
 * workers' KV events, and for a prompt's chained block hashes, how long a
 * prefix each instance already holds.
 *
 * Per tier, block hash → holders (TierBlocks); per instance, its hashes (so
 * dropping an instance costs only its own blocks). Both are BlockTables, hash
 * tables over the hashes' two 32-bit words (block-table.ts says why). Because
 * block hashes are chained (block i's hash covers blocks 0..i), holding hash
 * i means holding that exact prefix content for block i; the longest cached
 * prefix is the run of leading hashes an instance holds, which match() finds
 * in one walk down the chain.
 *
 * Sequencing: each instance's events carry a sequence starting at 1. A
 * sequence at or below the last applied one is a duplicate (JetStream
 * redelivery, replay) and ignored; a jump forward is applied and reported as
 * a gap. A sequence back at 1 with a later timestamp is a restarted worker
 * reusing its id: its cache is empty now, so its old blocks are dropped.
 */
export class PrefixIndex {
  private readonly tiers = new Map<string, TierBlocks>();
  private readonly instances = new Map<string, InstanceState>();
  /** Bumped by every change, so a snapshot written in parts can tell the index moved under it. */
  private version = 0;

  apply(event: KvEvent): ApplyResult {
    const id = event.instanceId;
    if (id === "") return { applied: false };
    let state = this.instances.get(id);
    let restarted = false;
    if (state && event.sequence <= state.lastSequence) {
      const isRestart = event.sequence === 1n && event.timestampMs > state.lastTimestampMs;
      if (!isRestart) return { applied: false };
      this.clearBlocks(state);
      restarted = true;
    }
    const expected = state && !restarted ? state.lastSequence + 1n : 1n;

    if (!state) {
      state = this.track(id, event.tier, 0n, 0n);
    } else if (state.tier !== event.tier) {
      // Ids are unique per worker, so this is a reconfigured worker: its old
      // tier's blocks are not reusable by the new one.
      this.clearBlocks(state);
      this.tierOf(state).release(state.slot);
      state.tier = event.tier;
      state.slot = this.tierNamed(event.tier).allocate(id);
    }
    this.version++;
    state.lastSequence = event.sequence;
    state.lastTimestampMs = event.timestampMs;

    switch (event.event.case) {
      case "stored":
        this.store(state, event.event.value.blockHashes);
        break;
      case "removed":
        this.remove(state, event.event.value.blockHashes);
        break;
      case "cleared":
        this.clearBlocks(state);
        break;
      case undefined:
        break;
    }

    const result: ApplyResult = { applied: true };
    if (event.sequence > expected) result.gap = { expected, got: event.sequence };
    if (restarted) result.restarted = true;
    return result;
  }

  /**
   * Every instance of `tier` holding at least the first block of `hashes`,
   * with the number of leading blocks it holds, most first (ties by id).
   */
  match(tier: string, hashes: readonly bigint[]): InstanceMatch[] {
    return this.tiers.get(tier)?.match(hashes) ?? [];
  }

  /** Forgets an instance (it died or left): its blocks and its sequence. Returns how many blocks it held. */
  dropInstance(instanceId: string): number {
    const state = this.instances.get(instanceId);
    if (!state) return 0;
    this.version++;
    const dropped = this.clearBlocks(state);
    this.tierOf(state).release(state.slot);
    this.instances.delete(instanceId);
    return dropped;
  }

  /**
   * The whole index as a KvIndexSnapshot at `point` of the event stream, in
   * canonical order (instances by id, each one's blocks ascending), so two
   * indexes holding the same state give byte-equal snapshots.
   */
  toSnapshot(point: SnapshotPoint = {}): KvIndexSnapshot {
    return writeSnapshot(this.instances, point);
  }

  /**
   * toSnapshot(point) encoded, in parts of about `blocksPerPart` blocks whose
   * concatenation is byte for byte toBinary(toSnapshot(point)) (repeated
   * fields concatenate in protobuf). A caller can yield to the event loop
   * between parts instead of stalling it for the whole index, provided the
   * index does not change meanwhile: a part pulled after a change throws.
   */
  toSnapshotParts(point: SnapshotPoint = {}, blocksPerPart = 65_536): Generator<Uint8Array> {
    const version = this.version;
    return snapshotParts(this.instances, point, blocksPerPart, () => {
      if (this.version !== version) throw new Error("the index changed while its snapshot was being written");
    });
  }

  /** An index holding exactly what `snapshot` holds. Throws on a malformed snapshot. */
  static fromSnapshot(snapshot: KvIndexSnapshot): PrefixIndex {
    const index = new PrefixIndex();
    readSnapshot(snapshot, (id, entry, hashes) => {
      const state = index.track(id, entry.tier, entry.lastSequence, entry.lastTimestampMs, hashes.length);
      index.store(state, hashes);
    });
    return index;
  }

  /** Ids of the instances the index tracks, with or without blocks. */
  instanceIds(): IterableIterator<string> {
    return this.instances.keys();
  }

  /** The last sequence applied for an instance, for resync decisions. */
  lastSequence(instanceId: string): bigint | undefined {
    return this.instances.get(instanceId)?.lastSequence;
  }

  stats(): PrefixIndexStats {
    let blocks = 0;
    for (const state of this.instances.values()) blocks += state.blocks.size;
    let uniqueBlocks = 0;
    let tiers = 0;
    for (const tier of this.tiers.values()) {
      uniqueBlocks += tier.uniqueBlocks;
      if (tier.uniqueBlocks > 0) tiers++;
    }
    return { instances: this.instances.size, blocks, uniqueBlocks, tiers };
  }

  private track(id: string, tier: string, lastSequence: bigint, lastTimestampMs: bigint, expectedBlocks = 0): InstanceState {
    const slot = this.tierNamed(tier).allocate(id);
    const state: InstanceState = { tier, slot, blocks: new BlockTable(expectedBlocks), lastSequence, lastTimestampMs };
    this.instances.set(id, state);
    return state;
  }

  private tierNamed(tier: string): TierBlocks {
    let blocks = this.tiers.get(tier);
    if (!blocks) {
      blocks = new TierBlocks();
      this.tiers.set(tier, blocks);
    }
    return blocks;
  }

  private tierOf(state: InstanceState): TierBlocks {
    return this.tiers.get(state.tier) as TierBlocks;
  }

  private store(state: InstanceState, hashes: readonly bigint[]): void {
    const tier = this.tierOf(state);
    for (const hash of hashes) {
      if (state.blocks.set(hash, 1) === undefined) tier.link(hash, state.slot);
    }
  }

  private remove(state: InstanceState, hashes: readonly bigint[]): void {
    const tier = this.tierOf(state);
    for (const hash of hashes) {
      if (state.blocks.delete(hash) !== undefined) tier.unlink(hash, state.slot);
    }
  }

  /** Removes all of an instance's blocks (the instance stays tracked); returns how many. */
  private clearBlocks(state: InstanceState): number {
    const count = state.blocks.size;
    const tier = this.tierOf(state);
    state.blocks.forEachWords((w0, w1) => tier.unlinkWords(w0, w1, state.slot));
    state.blocks.clear();
    return count;
  }
}
