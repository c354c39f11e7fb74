// Scratch views that split a 64-bit hash into two int32 words without
// allocating: write the bigint, read the words. Joining goes the same way
// back, so the word order (platform endianness) never matters.
const scratch64 = new BigUint64Array(1);
const scratch32 = new Int32Array(scratch64.buffer);

/** Marks an empty slot; never a stored value. */
const EMPTY = -0x8000_0000;
/** Int32s per entry: hash word 0, hash word 1, value, padding (16 bytes: four entries per cache line). */
const STRIDE = 4;
const MIN_BITS = 3;
const MAX_LOAD = 0.75;

/**
 * A hash table from 64-bit block hashes to int32 values: open addressing
 * with linear probing, every entry's key words and value side by side in one
 * Int32Array.
 *
 * Why not a Map<bigint, V>: V8 hashes bigint keys through a slow path
 * (120–570 ns a lookup measured, against ~17 ns here), and match() does 2,048
 * lookups for a 32k-token prompt. Why one array: a lookup in an index too big
 * for the CPU caches costs a cache miss per array it touches; here that is one.
 * It also keeps no bigint objects: 16 bytes per slot, nothing else.
 *
 * Deletion shifts later entries of the probe run back (no tombstones), and
 * the table shrinks when mostly empty, so a dropped instance gives its memory
 * back.
 */
export class BlockTable {
  private e: Int32Array = new Int32Array(0);
  private mask = 0;
  private shift = 0;
  private count = 0;

  constructor(expected = 0) {
    this.allocate(bitsFor(expected));
  }

  get size(): number {
    return this.count;
  }

  get(hash: bigint): number | undefined {
    scratch64[0] = hash;
    return this.getWords(scratch32[0] as number, scratch32[1] as number);
  }

  has(hash: bigint): boolean {
    return this.get(hash) !== undefined;
  }

  /** Sets the value of `hash` (any int32 but -2^31); returns the previous one. */
  set(hash: bigint, value: number): number | undefined {
    scratch64[0] = hash;
    return this.setWords(scratch32[0] as number, scratch32[1] as number, value);
  }

  /** Removes `hash`; returns its value (undefined when absent). */
  delete(hash: bigint): number | undefined {
    scratch64[0] = hash;
    return this.deleteWords(scratch32[0] as number, scratch32[1] as number);
  }

  /** The value stored under the hash with words (w0, w1). */
  getWords(w0: number, w1: number): number | undefined {
    const i = this.find(w0, w1);
    return i >= 0 ? (this.e[i * STRIDE + 2] as number) : undefined;
  }

  setWords(w0: number, w1: number, value: number): number | undefined {
    if ((value | 0) !== value || value === EMPTY) throw new RangeError(`BlockTable values are int32 other than -2^31, got ${value}`);
    let i = this.find(w0, w1);
    if (i >= 0) {
      const old = this.e[i * STRIDE + 2] as number;
      this.e[i * STRIDE + 2] = value;
      return old;
    }
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) {
      this.resize(this.bits() + 1);
      i = this.find(w0, w1);
    }
    const at = ~i * STRIDE;
    this.e[at] = w0;
    this.e[at + 1] = w1;
    this.e[at + 2] = value;
    this.count++;
    return undefined;
  }

  deleteWords(w0: number, w1: number): number | undefined {
    const i = this.find(w0, w1);
    if (i < 0) return undefined;
    const old = this.e[i * STRIDE + 2] as number;
    this.removeAt(i);
    this.count--;
    if (this.count < (this.mask + 1) / 8 && this.bits() > MIN_BITS) this.resize(this.bits() - 1);
    return old;
  }

  /** Calls `fn` with each entry's hash words and value. The table must not change meanwhile. */
  forEachWords(fn: (w0: number, w1: number, value: number) => void): void {
    const e = this.e;
    for (let at = 0; at < e.length; at += STRIDE) {
      const v = e[at + 2] as number;
      if (v !== EMPTY) fn(e[at] as number, e[at + 1] as number, v);
    }
  }

  /** Every key, as a fresh BigUint64Array (unsorted). */
  keys(): BigUint64Array {
    const out = new BigUint64Array(this.count);
    const words = new Int32Array(out.buffer);
    let k = 0;
    this.forEachWords((w0, w1) => {
      words[k++] = w0;
      words[k++] = w1;
    });
    return out;
  }

  /** Empties the table and gives back its memory. */
  clear(): void {
    this.allocate(MIN_BITS);
  }

  /** The slot of (w0, w1), or ~slot of the empty slot that ends its probe run. */
  private find(w0: number, w1: number): number {
    const { e, mask } = this;
    let i = this.home(w0, w1);
    for (;;) {
      const at = i * STRIDE;
      if (e[at + 2] === EMPTY) return ~i;
      if (e[at] === w0 && e[at + 1] === w1) return i;
      i = (i + 1) & mask;
    }
  }

  /** Fibonacci hashing of both words: block hashes are random already, but a mix costs nothing. */
  private home(w0: number, w1: number): number {
    return Math.imul(w0 ^ Math.imul(w1, 0x27d4eb2d), 0x9e3779b1) >>> this.shift;
  }

  /** Linear-probing deletion (Knuth 6.4, Algorithm R): pull later entries of the run back over the hole. */
  private removeAt(hole: number): void {
    const { e, mask } = this;
    let j = hole;
    for (;;) {
      e[hole * STRIDE + 2] = EMPTY;
      for (;;) {
        j = (j + 1) & mask;
        const at = j * STRIDE;
        if (e[at + 2] === EMPTY) return;
        const k = this.home(e[at] as number, e[at + 1] as number);
        // The entry at j may move to the hole unless its home lies cyclically in (hole, j].
        const stays = hole <= j ? hole < k && k <= j : hole < k || k <= j;
        if (!stays) break;
      }
      e.copyWithin(hole * STRIDE, j * STRIDE, j * STRIDE + STRIDE);
      hole = j;
    }
  }

  private bits(): number {
    return 32 - this.shift;
  }

  private allocate(bits: number): void {
    const capacity = 1 << bits;
    this.e = new Int32Array(capacity * STRIDE);
    for (let at = 2; at < this.e.length; at += STRIDE) this.e[at] = EMPTY;
    this.mask = capacity - 1;
    this.shift = 32 - bits;
    this.count = 0;
  }

  private resize(bits: number): void {
    const old = this.e;
    this.allocate(bits);
    for (let at = 0; at < old.length; at += STRIDE) {
      const v = old[at + 2] as number;
      if (v !== EMPTY) this.setWords(old[at] as number, old[at + 1] as number, v);
    }
  }
}

function bitsFor(expected: number): number {
  let bits = MIN_BITS;
  while ((1 << bits) * MAX_LOAD < expected) bits++;
  return bits;
}
