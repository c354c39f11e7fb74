import { BlockTable } from "./block-table.js";
import { SharedHolders } from "./holders.js";

/** One instance's longest cached prefix of a prompt. Structurally a weir.v1.InstanceMatch init. */
// Splits a hash into BlockTable words (see block-table.ts).
const scratch64 = new BigUint64Array(1);
const scratch32 = new Int32Array(scratch64.buffer);

export interface InstanceMatch {
  instanceId: string;
  /** How many leading blocks of the prompt's chain the instance holds. */
  matchedBlocks: number;
}

/**
 * The blocks of one tier: block hash → the instances holding it. Instances
 * are known here by a slot number (small, reused after they leave); a block
 * held by one instance stores that slot in the BlockTable itself, a shared
 * block a reference to its list of slots (SharedHolders). match() tracks the
 * instances still matching in flat Int32Arrays instead of sets.
 */
export class TierBlocks {
  private readonly blocks = new BlockTable();
  private readonly shared = new SharedHolders();
  private readonly ids: (string | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** match(): mark[slot] === stamp while the slot still matches; seen[] marks one block's holders. */
  private mark: Int32Array = new Int32Array(8);
  private seen: Int32Array = new Int32Array(8);
  private stamp = 0;
  /** Reused by match(): the slots still matching, so a call allocates only its result. */
  private readonly active: number[] = [];

  /** Distinct blocks held in this tier. */
  get uniqueBlocks(): number {
    return this.blocks.size;
  }

  /** A slot for `instanceId`, which must give it back (release) before it leaves the tier. */
  allocate(instanceId: string): number {
    const reused = this.freeSlots.pop();
    const slot = reused ?? this.ids.length;
    this.ids[slot] = instanceId;
    if (slot >= this.mark.length) {
      const grown = (n: Int32Array): Int32Array => {
        const out = new Int32Array(n.length * 2);
        out.set(n);
        return out;
      };
      this.mark = grown(this.mark);
      this.seen = grown(this.seen);
    }
    return slot;
  }

  /** Gives a slot back; the instance must hold no block of the tier any more. */
  release(slot: number): void {
    this.ids[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Records that `slot` holds `hash`; the caller knows it did not already. */
  link(hash: bigint, slot: number): void {
    const held = this.blocks.get(hash);
    if (held === undefined) this.blocks.set(hash, slot);
    else if (held >= 0) this.blocks.set(hash, this.shared.add([held, slot]));
    else this.shared.get(held).push(slot);
  }

  /** unlink() for a hash given as BlockTable words (an instance's table iterated). */
  unlinkWords(w0: number, w1: number, slot: number): void {
    const held = this.blocks.getWords(w0, w1);
    if (held === undefined) return;
    if (held >= 0) {
      if (held === slot) this.blocks.deleteWords(w0, w1);
      return;
    }
    const list = this.shared.get(held);
    const at = list.indexOf(slot);
    if (at < 0) return;
    list[at] = list[list.length - 1] as number;
    list.pop();
    if (list.length === 1) {
      this.shared.release(held);
      this.blocks.setWords(w0, w1, list[0] as number);
    }
  }

  unlink(hash: bigint, slot: number): void {
    scratch64[0] = hash;
    this.unlinkWords(scratch32[0] as number, scratch32[1] as number, slot);
  }

  /**
   * Every instance holding at least the first block of `hashes`, with the
   * number of leading blocks it holds, most first (ties by id). One walk down
   * the chain, keeping only the instances still matching, stopping as soon as
   * none is. Per block: one table lookup, plus one pass over the block's
   * holders when it is shared; the still-matching set is only rebuilt when
   * someone drops out.
   */
  match(hashes: readonly bigint[]): InstanceMatch[] {
    const firstHash = hashes[0];
    if (firstHash === undefined) return [];
    const first = this.blocks.get(firstHash);
    if (first === undefined) return [];

    const { mark, seen, active } = this;
    const stamp = this.nextStamp();
    active.length = 0;
    for (const slot of first >= 0 ? [first] : this.shared.get(first)) {
      active.push(slot);
      mark[slot] = stamp;
    }
    const matches: InstanceMatch[] = [];
    let i = 1;
    for (; i < hashes.length && active.length > 0; i++) {
      const held = this.blocks.get(hashes[i] as bigint);
      if (held === undefined) break; // everyone still matching ends here
      if (held >= 0) {
        if (active.length === 1 && active[0] === held) continue;
        const keep = mark[held] === stamp;
        for (const slot of active) if (slot !== held) this.end(matches, slot, i);
        active.length = 0;
        if (keep) active.push(held);
        continue;
      }
      const tick = this.nextStamp();
      let kept = 0;
      for (const slot of this.shared.get(held)) {
        if (mark[slot] === stamp) {
          seen[slot] = tick;
          kept++;
        }
      }
      if (kept === active.length) continue;
      let k = 0;
      for (const slot of active) {
        if (seen[slot] === tick) active[k++] = slot;
        else this.end(matches, slot, i);
      }
      active.length = k;
    }
    for (const slot of active) this.end(matches, slot, i);
    active.length = 0;

    return matches.sort(
      (a, b) =>
        b.matchedBlocks - a.matchedBlocks || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0),
    );
  }

  private end(matches: InstanceMatch[], slot: number, matchedBlocks: number): void {
    this.mark[slot] = 0;
    matches.push({ instanceId: this.ids[slot] as string, matchedBlocks });
  }

  private nextStamp(): number {
    if (this.stamp === 0x7fff_ffff) {
      this.stamp = 0;
      this.mark.fill(0);
      this.seen.fill(0);
    }
    return ++this.stamp;
  }
}
