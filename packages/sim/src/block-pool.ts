// The paged KV cache: a fixed number of blocks of `blockSize` tokens, as in
// vLLM v1's BlockPool. A block is in use while requests reference it; a full
// block also carries its chained hash and stays findable by it after its last
// user frees it, until it is evicted to make room. Freed blocks queue for
// eviction in the order they are freed, each request's blocks tail first, so
// eviction takes the least recently used blocks, leaves before their parents.

import type { KvEventEmitter } from "./kv-events.js";

const NONE = -1;

export class BlockPool {
  readonly numBlocks: number;
  readonly blockSize: number;
  readonly #refCount: Int32Array;
  /** The chained hash of each cached block; undefined for uncached ones. */
  readonly #hashOf: (bigint | undefined)[];
  /** hash → the block that holds it. */
  readonly #byHash = new Map<bigint, number>();
  // The free queue: a doubly linked list over block ids with a sentinel at
  // index numBlocks (its next is the head, its prev the tail), so that taking
  // a cached block back out of the queue on a prefix hit is O(1).
  readonly #next: Int32Array;
  readonly #prev: Int32Array;
  #free: number;
  readonly #events: KvEventEmitter;
  /** Hashes evicted since the last flushEvents(), only while events are enabled. */
  #evicted: bigint[] = [];

  constructor(numBlocks: number, blockSize: number, events: KvEventEmitter) {
    if (!Number.isInteger(numBlocks) || numBlocks < 1) throw new RangeError(`numBlocks must be ≥ 1, got ${numBlocks}`);
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.#events = events;
    this.#refCount = new Int32Array(numBlocks);
    this.#hashOf = new Array<bigint | undefined>(numBlocks).fill(undefined);
    this.#next = new Int32Array(numBlocks + 1);
    this.#prev = new Int32Array(numBlocks + 1);
    const s = numBlocks;
    for (let b = 0; b < numBlocks; b++) {
      this.#prev[b] = b === 0 ? s : b - 1;
      this.#next[b] = b === numBlocks - 1 ? s : b + 1;
    }
    this.#next[s] = 0;
    this.#prev[s] = numBlocks - 1;
    this.#free = numBlocks;
  }

  /** Blocks no request uses (cached or empty): what can still be allocated. */
  get freeBlocks(): number {
    return this.#free;
  }

  /** Fraction of blocks in use by requests (vLLM's kv_cache_usage_perc). */
  get usage(): number {
    return 1 - this.#free / this.numBlocks;
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

  /** Of these blocks, how many are unused (taking them shrinks the free count). */
  countUnused(blocks: readonly number[]): number {
    let n = 0;
    for (const b of blocks) if (this.#refCount[b] === 0) n++;
    return n;
  }

  /** Takes a reference to a (cached) block, removing it from the free queue if unused. */
  take(block: number): void {
    if (this.#refCount[block] === 0) {
      this.#unlink(block);
      this.#free--;
    }
    this.#refCount[block]! += 1;
  }

  /** A fresh block for one request; evicts the least recently freed block. Check freeBlocks first. */
  allocate(): number {
    const s = this.numBlocks;
    const block = this.#next[s]!;
    if (block === s) throw new Error("BlockPool.allocate: no free block (the scheduler must check freeBlocks)");
    this.#unlink(block);
    this.#free--;
    this.#refCount[block] = 1;
    const hash = this.#hashOf[block];
    if (hash !== undefined) {
      this.#hashOf[block] = undefined;
      this.#byHash.delete(hash);
      if (this.#events.enabled) this.#evicted.push(hash);
    }
    return block;
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
        this.#free++;
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

  #unlink(b: number): void {
    const p = this.#prev[b]!;
    const n = this.#next[b]!;
    this.#next[p] = n;
    this.#prev[n] = p;
    this.#next[b] = NONE;
    this.#prev[b] = NONE;
  }

  #append(b: number): void {
    const s = this.numBlocks;
    const tail = this.#prev[s]!;
    this.#next[tail] = b;
    this.#prev[b] = tail;
    this.#next[b] = s;
    this.#prev[s] = b;
  }
}
