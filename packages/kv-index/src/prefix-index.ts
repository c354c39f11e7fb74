import type { KvEvent } from "@weir/proto";
import { type Holders, forEachHolder, holds, withHolder, withoutHolder } from "./holders.js";

/** One instance's longest cached prefix of a prompt. Structurally a weir.v1.InstanceMatch init. */
export interface InstanceMatch {
  instanceId: string;
  /** How many leading blocks of the prompt's chain the instance holds. */
  matchedBlocks: number;
}

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

interface InstanceState {
  tier: string;
  blocks: Set<bigint>;
  lastSequence: bigint;
  lastTimestampMs: bigint;
}

/**
 * The global prefix index: which instance holds which KV block, built from the
 * workers' KV events, and for a prompt's chained block hashes, how long a
 * prefix each instance already holds.
 *
 * Per tier, block hash → holders; per instance, its hashes (so dropping an
 * instance costs only its own blocks). Because block hashes are chained
 * (block i's hash covers blocks 0..i), holding hash i means holding that exact
 * prefix content for block i; the longest cached prefix is the run of leading
 * hashes an instance holds, which match() finds in one walk down the chain.
 *
 * Sequencing: each instance's events carry a sequence starting at 1. A
 * sequence at or below the last applied one is a duplicate (JetStream
 * redelivery, replay) and ignored; a jump forward is applied and reported as
 * a gap. A sequence back at 1 with a later timestamp is a restarted worker
 * reusing its id: its cache is empty now, so its old blocks are dropped.
 */
export class PrefixIndex {
  private readonly tierBlocks = new Map<string, Map<bigint, Holders>>();
  private readonly instances = new Map<string, InstanceState>();
  /** Reused by match(): the instances still matching, so a call allocates only its result. */
  private readonly active: string[] = [];

  apply(event: KvEvent): ApplyResult {
    const id = event.instanceId;
    if (id === "") return { applied: false };
    let state = this.instances.get(id);
    let restarted = false;
    if (state && event.sequence <= state.lastSequence) {
      const isRestart = event.sequence === 1n && event.timestampMs > state.lastTimestampMs;
      if (!isRestart) return { applied: false };
      this.clearBlocks(id, state);
      restarted = true;
    }
    const expected = state && !restarted ? state.lastSequence + 1n : 1n;

    if (!state) {
      state = { tier: event.tier, blocks: new Set(), lastSequence: 0n, lastTimestampMs: 0n };
      this.instances.set(id, state);
    } else if (state.tier !== event.tier) {
      // Ids are unique per worker, so this is a reconfigured worker: its old
      // tier's blocks are not reusable by the new one.
      this.clearBlocks(id, state);
      state.tier = event.tier;
    }
    state.lastSequence = event.sequence;
    state.lastTimestampMs = event.timestampMs;

    switch (event.event.case) {
      case "stored":
        this.store(id, state, event.event.value.blockHashes);
        break;
      case "removed":
        this.remove(id, state, event.event.value.blockHashes);
        break;
      case "cleared":
        this.clearBlocks(id, state);
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
   * Walks the chain once, keeping only the instances still matching, and stops
   * as soon as none is.
   */
  match(tier: string, hashes: readonly bigint[]): InstanceMatch[] {
    const blocks = this.tierBlocks.get(tier);
    const firstHash = hashes[0];
    if (!blocks || firstHash === undefined) return [];
    const first = blocks.get(firstHash);
    if (first === undefined) return [];

    const active = this.active;
    active.length = 0;
    forEachHolder(first, (id) => active.push(id));
    const matches: InstanceMatch[] = [];
    let i = 1;
    for (; i < hashes.length && active.length > 0; i++) {
      const holders = blocks.get(hashes[i] as bigint);
      let kept = 0;
      for (const id of active) {
        if (holders !== undefined && holds(holders, id)) active[kept++] = id;
        else matches.push({ instanceId: id, matchedBlocks: i });
      }
      active.length = kept;
    }
    for (const id of active) matches.push({ instanceId: id, matchedBlocks: i });
    active.length = 0;

    return matches.sort(
      (a, b) =>
        b.matchedBlocks - a.matchedBlocks || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0),
    );
  }

  /** Forgets an instance (it died or left): its blocks and its sequence. Returns how many blocks it held. */
  dropInstance(instanceId: string): number {
    const state = this.instances.get(instanceId);
    if (!state) return 0;
    const dropped = this.clearBlocks(instanceId, state);
    this.instances.delete(instanceId);
    return dropped;
  }

  /** The last sequence applied for an instance, for resync decisions. */
  lastSequence(instanceId: string): bigint | undefined {
    return this.instances.get(instanceId)?.lastSequence;
  }

  stats(): PrefixIndexStats {
    let blocks = 0;
    for (const state of this.instances.values()) blocks += state.blocks.size;
    let uniqueBlocks = 0;
    for (const tier of this.tierBlocks.values()) uniqueBlocks += tier.size;
    return { instances: this.instances.size, blocks, uniqueBlocks, tiers: this.tierBlocks.size };
  }

  private store(id: string, state: InstanceState, hashes: readonly bigint[]): void {
    let blocks = this.tierBlocks.get(state.tier);
    if (!blocks) {
      blocks = new Map();
      this.tierBlocks.set(state.tier, blocks);
    }
    for (const hash of hashes) {
      if (state.blocks.has(hash)) continue;
      state.blocks.add(hash);
      blocks.set(hash, withHolder(blocks.get(hash), id));
    }
  }

  private remove(id: string, state: InstanceState, hashes: readonly bigint[]): void {
    const blocks = this.tierBlocks.get(state.tier);
    if (!blocks) return;
    for (const hash of hashes) {
      if (state.blocks.delete(hash)) this.unlink(blocks, hash, id);
    }
    if (blocks.size === 0) this.tierBlocks.delete(state.tier);
  }

  /** Removes all of an instance's blocks (the instance stays tracked); returns how many. */
  private clearBlocks(id: string, state: InstanceState): number {
    const count = state.blocks.size;
    const blocks = this.tierBlocks.get(state.tier);
    if (blocks) {
      for (const hash of state.blocks) this.unlink(blocks, hash, id);
      if (blocks.size === 0) this.tierBlocks.delete(state.tier);
    }
    state.blocks.clear();
    return count;
  }

  private unlink(blocks: Map<bigint, Holders>, hash: bigint, id: string): void {
    const holders = blocks.get(hash);
    if (holders === undefined) return;
    const rest = withoutHolder(holders, id);
    if (rest === undefined) blocks.delete(hash);
    else blocks.set(hash, rest);
  }
}
