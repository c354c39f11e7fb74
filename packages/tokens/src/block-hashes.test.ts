import { describe, expect, it } from "vitest";
import { BLOCK_HASH_SEED, DEFAULT_BLOCK_SIZE, blockHashes, nextBlockHash } from "./block-hashes.js";

const U64_MAX = (1n << 64n) - 1n;

/** n pseudo-random uint32 ids, reproducible from `salt`. */
function ids(n: number, salt = 0): number[] {
  return Array.from({ length: n }, (_, i) => Math.imul(i + 1 + salt * 1_000_003, 0x9e3779b1) >>> 0);
}

describe("blockHashes", () => {
  it("is pinned: these exact values are the cross-process contract", () => {
    // MurmurHash3_x86_128 (seed 0), first 64 bits, of LE bytes parent u64 ++ ids u32.
    // If this test fails the scheme changed: every cached block hash in a
    // running cluster would stop matching.
    expect(BLOCK_HASH_SEED).toBe(0x31766b2d72696577n); // "weir-kv1"
    expect(blockHashes([1, 2, 3, 4], 4)).toEqual([0xcc7f8fe7d2079663n]);
    expect(blockHashes(Array.from({ length: 32 }, (_, i) => i))).toEqual([
      0x9139e8612c6852b7n,
      0xf34a843cbe2dc06bn,
    ]);
  });

  it("is deterministic", () => {
    expect(blockHashes(ids(100))).toEqual(blockHashes(ids(100)));
  });

  it("hashes full blocks only: a partial last block has no hash", () => {
    expect(blockHashes(ids(15))).toEqual([]);
    expect(blockHashes(ids(16))).toHaveLength(1);
    expect(blockHashes(ids(47))).toHaveLength(2);
    expect(blockHashes(ids(47))).toEqual(blockHashes(ids(32)));
    expect(blockHashes([])).toEqual([]);
  });

  it("shares exactly the hashes of the shared full blocks (prefix property)", () => {
    const shared = ids(3 * DEFAULT_BLOCK_SIZE + 5);
    const a = [...shared, ...ids(40, 1)];
    const b = [...shared, ...ids(40, 2)];
    const ha = blockHashes(a);
    const hb = blockHashes(b);
    expect(ha.slice(0, 3)).toEqual(hb.slice(0, 3));
    // Block 3 differs in its last 11 tokens, and every later block is chained to it.
    for (let i = 3; i < Math.min(ha.length, hb.length); i++) expect(ha[i]).not.toBe(hb[i]);
  });

  it("chains: equal blocks after different prefixes hash differently", () => {
    const block = ids(16, 9);
    const h1 = blockHashes([...ids(16, 1), ...block]);
    const h2 = blockHashes([...ids(16, 2), ...block]);
    expect(h1[1]).not.toBe(h2[1]);
    // …while the same block at the start of two prompts hashes the same.
    expect(blockHashes(block)[0]).toBe(blockHashes([...block, ...ids(16, 3)])[0]);
  });

  it("depends on the block size", () => {
    const t = ids(64);
    expect(blockHashes(t, 8)).toHaveLength(8);
    expect(blockHashes(t, 32)).toHaveLength(2);
    expect(blockHashes(t, 1)).toHaveLength(64);
    expect(blockHashes(t, 64)).toHaveLength(1);
    expect(blockHashes(t, 32)[0]).not.toBe(blockHashes(t, 16)[1]);
    expect(() => blockHashes(t, 0)).toThrow(RangeError);
    expect(() => blockHashes(t, 2.5)).toThrow(RangeError);
  });

  it("uses the low 32 bits of each id", () => {
    expect(blockHashes([-1, 0, 0, 0], 4)).toEqual(blockHashes([0xffff_ffff, 0, 0, 0], 4));
    expect(blockHashes([2 ** 32 + 5, 0, 0, 0], 4)).toEqual(blockHashes([5, 0, 0, 0], 4));
  });

  it("agrees with nextBlockHash chained block by block", () => {
    const t = ids(5 * 16);
    let parent = BLOCK_HASH_SEED;
    const chained: bigint[] = [];
    for (let b = 0; b < 5; b++) {
      parent = nextBlockHash(parent, t.slice(b * 16, (b + 1) * 16));
      chained.push(parent);
    }
    expect(chained).toEqual(blockHashes(t));
  });

  it("handles a 32k-token prompt: 2048 distinct u64 hashes, stable under extension", () => {
    // Correctness at scale, not timing (the implementation keeps BigInt out of
    // the inner loop; see block-hashes.ts).
    const t = ids(32 * 1024);
    const h = blockHashes(t);
    expect(h).toHaveLength(2048);
    expect(new Set(h).size).toBe(2048);
    for (const x of h) expect(x >= 0n && x <= U64_MAX).toBe(true);
    expect(blockHashes(t.slice(0, 1000 * 16))).toEqual(h.slice(0, 1000));
    expect(blockHashes([...t, ...ids(16, 5)]).slice(0, 2048)).toEqual(h);
    // Both 32-bit halves vary: the high half is real, not sign or zero fill.
    expect(new Set(h.map((x) => x >> 32n)).size).toBe(2048);
  });

  it("accepts typed arrays", () => {
    const t = ids(48);
    expect(blockHashes(Uint32Array.from(t))).toEqual(blockHashes(t));
  });
});
