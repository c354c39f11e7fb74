// The paged KV cache: a fixed number of blocks of `blockSize` tokens, as in
// vLLM v1's BlockPool. A block is in use while requests reference it; a full
// block also carries its chained hash and stays findable by it after its last
// user frees it, until it is evicted to make room. Freed blocks queue for
// eviction in the order they are freed, each request's blocks tail first, so
// eviction takes the least recently used blocks, leaves before their parents.
//
// Capacity is accounted in bytes, so that blocks of different precisions can
// share it (kv-memory.ts, KvPrecision): a block is charged at full (16-bit)
// size from allocation until it is written, i.e. full, when seal() fixes its
// precision for good; a quantised block then costs quantisedBlockBytes. The
// block being written stays full size, like KIVI's full-precision residual
// of the latest tokens; it also keeps the scheduler's block counts (it asks
// for blocks, not bytes) a safe upper bound. A pool of mostly quantised
// blocks therefore holds up to fullBlockBytes / quantisedBlockBytes ≈ 2× the
// blocks. With one size (the default) the accounting is exactly the old
// count of blocks.

import type { KvEventEmitter } from "./kv-events.js";

const NONE = -1;

/** Block sizes of a pool that mixes precisions; without them every block has one size. */
export interface BlockPoolSizes {
  /** Bytes of a block at full (16-bit) precision. */
  fullBlockBytes: number;
  /** Bytes of a quantised block (≤ fullBlockBytes). */
  quantisedBlockBytes: number;
}

// A block's precision state: charged full size while being written, fixed once sealed.
const WRITING = 0;
const SEALED_FULL = 1;
const SEALED_QUANTISED = 2;

export class BlockPool {
  /**
   * Capacity in full-precision blocks: capacityBytes / fullBlockBytes. The
   * unit of freeBlocks and usage (so numBlocks × (1 − usage) = freeBlocks),
   * and what the instance reports as its KV blocks in all; a quantised pool
   * may hold up to maxBlocks.
   */
  readonly numBlocks: number;
  /** Most blocks the pool can hold at once (all quantised); numBlocks with one size. */
  readonly maxBlocks: number;
  readonly blockSize: number;
  readonly capacityBytes: number;
  readonly fullBlockBytes: number;
  readonly quantisedBlockBytes: number;
  readonly #refCount: Int32Array;
  readonly #precision: Uint8Array;
  /** The chained hash of each cached block; undefined for uncached ones. */
  readonly #hashOf: (bigint | undefined)[];
  /** hash → the block that holds it. */
  readonly #byHash = new Map<bigint, number>();
  // The free queue: the blocks no request uses that still hold their bytes
  // (cached, or freed unhashed), least recently freed first. A doubly linked
  // list over block ids with a sentinel at index maxBlocks (its next is the
  // head, its prev the tail), so that taking a cached block back out of the
  // queue on a prefix hit is O(1).
  readonly #next: Int32Array;
  readonly #prev: Int32Array;
  /** Bytes not held by any request: the never-used space plus every block in the free queue. */
  #freeBytes: number;
  /** Bytes held by no block at all (never used, or given back by an eviction). */
  #unheldBytes: number;
  /** Block ids holding nothing, taken last-in first-out (ascending at first). */
  readonly #unheld: Int32Array;
  #unheldCount: number;
  readonly #events: KvEventEmitter;
  /** Hashes evicted since the last flushEvents(), only while events are enabled. */
  #evicted: bigint[] = [];

  constructor(numBlocks: number, blockSize: number, events: KvEventEmitter, sizes?: BlockPoolSizes) {
    if (!Number.isInteger(numBlocks) || numBlocks < 1) throw new RangeError(`numBlocks must be ≥ 1, got ${numBlocks}`);
    // One size: count in blocks (1 "byte" each), exactly as before sizes existed.
    const full = sizes?.fullBlockBytes ?? 1;
    const quantised = sizes?.quantisedBlockBytes ?? full;
    if (!(Number.isInteger(full) && full > 0 && Number.isInteger(quantised) && quantised > 0 && quantised <= full)) {
      throw new RangeError(`block sizes must be whole bytes with 0 < quantised ≤ full, got ${quantised} and ${full}`);
    }
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.fullBlockBytes = full;
    this.quantisedBlockBytes = quantised;
    this.capacityBytes = numBlocks * full;
    // Every held block takes at least `quantised` bytes, so no more ids than this are ever in use.
    const ids = Math.floor(this.capacityBytes / quantised);
    this.maxBlocks = ids;
    this.#events = events;
    this.#refCount = new Int32Array(ids);
    this.#precision = new Uint8Array(ids);
    this.#hashOf = new Array<bigint | undefined>(ids).fill(undefined);
    this.#next = new Int32Array(ids + 1).fill(NONE);
    this.#prev = new Int32Array(ids + 1).fill(NONE);
    const s = ids;
    this.#next[s] = s;
    this.#prev[s] = s;
    this.#unheld = new Int32Array(ids);
    for (let k = 0; k < ids; k++) this.#unheld[k] = ids - 1 - k;
    this.#unheldCount = ids;
    this.#freeBytes = this.capacityBytes;
    this.#unheldBytes = this.capacityBytes;
  }

  /**
   * Full-precision blocks' worth of memory no request uses (cached or empty):
   * how many fresh blocks can still be allocated (each is charged full size
   * until written). Fractional once quantised blocks exist.
   */
  get freeBlocks(): number {
    return this.#freeBytes / this.fullBlockBytes;
  }

  /** Fraction of the capacity in use by requests (vLLM's kv_cache_usage_perc). */
  get usage(): number {
    return 1 - this.#freeBytes / this.capacityBytes;
  }

  /** Whether this block was written quantised (its precision is fixed once written). */
  isQuantised(block: number): boolean {
    return this.#precision[block] === SEALED_QUANTISED;
  }

  /** Blocks findable by hash (in use or not). */
  get cachedBlocks(): number {
    return this.#byHash.size;
  }

  /**
   * How many leading hashes of the chain are cached, up to `maxBlocks`; their
   * block ids go to `out` (cleared first) when given.
   */
  matchPrefix(hashes: readonly bigint[], maxBlocks: number, out?: number[]): number {
    if (out !== undefined) out.length = 0;
    const n = Math.min(maxBlocks, hashes.length);
    let i = 0;
    for (; i < n; i++) {
      const block = this.#byHash.get(hashes[i] as bigint);
      if (block === undefined) break;
      out?.push(block);
    }
    return i;
  }

  /**
   * Of these blocks, how much memory the unused ones hold, in full-precision
   * blocks (taking them shrinks freeBlocks by this much); with one size, how
   * many are unused.
   */
  countUnused(blocks: readonly number[]): number {
    let bytes = 0;
    for (const b of blocks) if (this.#refCount[b] === 0) bytes += this.#bytesOf(b);
    return bytes / this.fullBlockBytes;
  }

  /** Takes a reference to a (cached) block, removing it from the free queue if unused. */
  take(block: number): void {
    if (this.#refCount[block] === 0) {
      this.#unlink(block);
      this.#freeBytes -= this.#bytesOf(block);
    }
    this.#refCount[block]! += 1;
  }

  /**
   * A fresh block for one request, charged at full size until seal(); makes
   * room by evicting the least recently freed blocks (two quantised ones
   * may be needed for one full). Check freeBlocks first.
   */
  allocate(): number {
    const full = this.fullBlockBytes;
    while (this.#unheldBytes < full) this.#evictOldest();
    const block = this.#unheld[--this.#unheldCount]!;
    this.#unheldBytes -= full;
    this.#freeBytes -= full;
    this.#refCount[block] = 1;
    this.#precision[block] = WRITING;
    return block;
  }

  /**
   * Fixes the precision of a block its request has just filled: a quantised
   * block gives back the difference to full size. A block's precision never
   * changes after this, whoever reuses it from the prefix cache.
   */
  seal(block: number, quantised: boolean): void {
    if (this.#refCount[block]! < 1 || this.#precision[block] !== WRITING) {
      throw new Error(`BlockPool.seal: block ${block} is not being written (sealed already, or free)`);
    }
    if (!quantised) {
      this.#precision[block] = SEALED_FULL;
      return;
    }
    this.#precision[block] = SEALED_QUANTISED;
    const saved = this.fullBlockBytes - this.quantisedBlockBytes;
    this.#freeBytes += saved;
    this.#unheldBytes += saved;
  }

  /**
   * Drops one reference to each block, last block first: a request's tail
   * blocks then sit nearest the front of the eviction queue, so its prefix
   * outlives its suffix.
   */
  freeAll(blocks: readonly number[]): void {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      const left = --this.#refCount[b]!;
      if (left === 0) {
        this.#append(b);
        this.#freeBytes += this.#bytesOf(b);
      }
    }
  }

  /** Makes a full block findable by its hash; false when another block already holds that hash. */
  cache(block: number, hash: bigint): boolean {
    if (this.#byHash.has(hash)) return false;
    this.#byHash.set(hash, block);
    this.#hashOf[block] = hash;
    return true;
  }

  /** Forgets every hash (blocks in use stay allocated, just no longer findable). */
  clearHashes(): void {
    this.#byHash.clear();
    this.#hashOf.fill(undefined);
    this.#evicted = [];
  }

  /** Emits one "removed" event for the blocks evicted since the last call. */
  flushEvents(nowMs: number): void {
    if (this.#evicted.length === 0) return;
    const hashes = this.#evicted;
    this.#evicted = [];
    this.#events.removed(hashes, nowMs);
  }

  /** Bytes a block holds: full size unless it was written quantised. */
  #bytesOf(b: number): number {
    return this.#precision[b] === SEALED_QUANTISED ? this.quantisedBlockBytes : this.fullBlockBytes;
  }

  /** Empties the block at the head of the free queue (least recently freed): its bytes and id become unheld. */
  #evictOldest(): void {
    const s = this.maxBlocks;
    const b = this.#next[s]!;
    if (b === s) throw new Error("BlockPool.allocate: no free block (the scheduler must check freeBlocks)");
    this.#unlink(b);
    this.#unheldBytes += this.#bytesOf(b);
    this.#precision[b] = WRITING;
    const hash = this.#hashOf[b];
    if (hash !== undefined) {
      this.#hashOf[b] = undefined;
      this.#byHash.delete(hash);
      if (this.#events.enabled) this.#evicted.push(hash);
    }
    this.#unheld[this.#unheldCount++] = b;
  }

  #unlink(b: number): void {
    const p = this.#prev[b]!;
    const n = this.#next[b]!;
    this.#next[p] = n;
    this.#prev[n] = p;
    this.#next[b] = NONE;
    this.#prev[b] = NONE;
  }

  #append(b: number): void {
    const s = this.maxBlocks;
    const tail = this.#prev[s]!;
    this.#next[tail] = b;
    this.#prev[b] = tail;
    this.#next[b] = s;
    this.#prev[s] = b;
  }
}
