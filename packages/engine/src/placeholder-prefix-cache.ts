/** Newly cached blocks that follow one another in the prompt's chain. */
export interface StoredRun {
  hashes: bigint[];
  /** The block before the first one; undefined when the run starts at block 0. */
  parent: bigint | undefined;
}

export interface PrefixAdmission {
  /** Leading blocks of the prompt that were cached before this request. */
  cachedBlocks: number;
  /** Blocks evicted to make room, least recently used first. */
  removed: bigint[];
  /** Blocks cached by this request, in chain order, one entry per contiguous run. */
  stored: StoredRun[];
}

/**
 * PLACEHOLDER prefix cache: a set of chained block hashes with LRU eviction at
 * a nominal capacity. It holds no KV data and models no memory pressure from
 * running requests; it exists so that the placeholder engine reports real
 * cached_prompt_tokens and real KV events (for the kv-cache-manager's index)
 * until the simulated engine brings paged KV blocks.
 */
export class PlaceholderPrefixCache {
  readonly capacityBlocks: number;
  // Iteration order is recency: the first entry is the least recently used.
  readonly #blocks = new Set<bigint>();

  constructor(capacityBlocks: number) {
    this.capacityBlocks = capacityBlocks;
  }

  get size(): number {
    return this.#blocks.size;
  }

  has(hash: bigint): boolean {
    return this.#blocks.has(hash);
  }

  /** Looks up a prompt's chained block hashes, then caches them. */
  admit(hashes: readonly bigint[]): PrefixAdmission {
    let cachedBlocks = 0;
    while (cachedBlocks < hashes.length && this.#blocks.has(hashes[cachedBlocks] as bigint)) cachedBlocks++;

    // A prompt longer than the whole cache keeps only its first blocks.
    const keep = hashes.slice(0, this.capacityBlocks);
    const isNew = keep.map((h) => !this.#blocks.has(h));
    const newCount = isNew.filter(Boolean).length;

    // Touch the prompt's cached blocks first, so that eviction spares them.
    for (const [i, h] of keep.entries()) {
      if (!isNew[i]) this.#touch(h);
    }
    const removed: bigint[] = [];
    let overflow = this.#blocks.size + newCount - this.capacityBlocks;
    for (const h of this.#blocks) {
      if (overflow <= 0) break;
      removed.push(h);
      overflow--;
    }
    for (const h of removed) this.#blocks.delete(h);

    // Insert tail first, so the prompt's first block ends up the most recently
    // used: as in vLLM, a prefix's tail blocks are evicted before its head,
    // which keeps what remains cached a usable prefix.
    for (let i = keep.length - 1; i >= 0; i--) this.#touch(keep[i] as bigint);

    return { cachedBlocks, removed, stored: storedRuns(keep, isNew) };
  }

  #touch(h: bigint): void {
    this.#blocks.delete(h);
    this.#blocks.add(h);
  }
}

function storedRuns(hashes: readonly bigint[], isNew: readonly boolean[]): StoredRun[] {
  const runs: StoredRun[] = [];
  let current: StoredRun | undefined;
  for (const [i, h] of hashes.entries()) {
    if (!isNew[i]) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = { hashes: [], parent: i === 0 ? undefined : hashes[i - 1] };
      runs.push(current);
    }
    current.hashes.push(h);
  }
  return runs;
}
