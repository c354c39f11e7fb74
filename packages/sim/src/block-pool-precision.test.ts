import { describe, expect, it } from "vitest";
import { BlockPool, type BlockPoolSizes } from "./block-pool.js";
import { KvEventEmitter } from "./kv-events.js";

// Block sizes in bytes: full 2, quantised 1 (exactly half, as fp8).
const SIZES: BlockPoolSizes = { fullBlockBytes: 2, quantisedBlockBytes: 1 };

function pool(numBlocks: number, sizes = SIZES): BlockPool {
  return new BlockPool(numBlocks, 16, new KvEventEmitter("small", "w1"), sizes);
}

/** Writes n blocks one after the other: the first `anchors` full, the rest quantised. */
function write(p: BlockPool, n: number, anchors: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const b = p.allocate();
    p.seal(b, i >= anchors);
    return b;
  });
}

describe("BlockPool accounted in bytes (mixed KV precisions)", () => {
  it("charges a block full size until it is written, then half if quantised; anchors stay full", () => {
    const p = pool(10);
    expect(p.capacityBytes).toBe(20);
    expect(p.maxBlocks).toBe(20);
    const a = p.allocate();
    const b = p.allocate();
    expect(p.freeBlocks).toBe(8);
    p.seal(a, false); // an anchor
    p.seal(b, true);
    expect(p.isQuantised(a)).toBe(false);
    expect(p.isQuantised(b)).toBe(true);
    expect(p.freeBlocks).toBe(8.5);
    expect(p.usage).toBeCloseTo(0.15, 12);
    expect(p.numBlocks * (1 - p.usage)).toBeCloseTo(p.freeBlocks, 12);
    p.freeAll([a, b]);
    expect(p.freeBlocks).toBe(10);
    expect(p.usage).toBe(0);
  });

  it("holds about twice the blocks when nearly all are quantised", () => {
    const fp16 = pool(100, { fullBlockBytes: 2, quantisedBlockBytes: 2 });
    let n16 = 0;
    while (fp16.freeBlocks >= 1) {
      fp16.seal(fp16.allocate(), true);
      n16++;
    }
    const p = pool(100);
    let n = 0;
    // Sequences of 50 blocks with 4 full-precision anchors, until the next block no longer fits.
    while (p.freeBlocks >= 1) {
      const b = p.allocate();
      p.seal(b, n % 50 >= 4);
      n++;
    }
    expect(n16).toBe(100);
    expect(n / n16).toBeGreaterThan(1.8);
    expect(n / n16).toBeLessThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(p.maxBlocks);
  });

  it("keeps a sealed block's precision through the prefix cache, and counts a quantised hit as half a block", () => {
    const p = pool(10);
    const blocks = write(p, 3, 1);
    blocks.forEach((b, i) => p.cache(b, BigInt(i + 1)));
    p.freeAll(blocks);
    const hit: number[] = [];
    expect(p.matchPrefix([1n, 2n, 3n], 3, hit)).toBe(3);
    expect(hit.map((b) => p.isQuantised(b))).toEqual([false, true, true]);
    expect(p.countUnused(hit)).toBe(2); // 1 + ½ + ½ full blocks' worth
    for (const b of hit) p.take(b);
    expect(p.freeBlocks).toBe(8);
    // Written already: a reuser cannot re-seal it at another precision.
    expect(() => p.seal(hit[1]!, false)).toThrow(/not being written/);
  });

  it("evicts as many least recently freed blocks as a full-size allocation needs, and reports them", () => {
    const emitter = new KvEventEmitter("small", "w1");
    const removed: bigint[] = [];
    emitter.subscribe((e) => {
      if (e.event?.case === "removed") removed.push(...e.event.value.blockHashes!);
    });
    const p = new BlockPool(2, 16, emitter, SIZES); // 4 bytes
    const blocks = write(p, 3, 0); // 3 quantised blocks: 3 bytes, the last written while 1 byte was left
    blocks.forEach((b, i) => p.cache(b, BigInt(10 + i)));
    p.freeAll(blocks); // freed tail first: 12, 11, 10 is the eviction order
    expect(p.freeBlocks).toBe(2);
    const anchor = p.allocate(); // 1 byte never used + 12's byte
    p.seal(anchor, false);
    expect(p.freeBlocks).toBe(1); // 11 and 10, cached, half a block each
    p.allocate(); // 2 bytes: both must go
    p.flushEvents(1);
    expect(removed).toEqual([12n, 11n, 10n]);
    expect(p.matchPrefix([10n], 1)).toBe(0);
    expect(p.freeBlocks).toBe(0);
  });

  it("refuses impossible sizes and sealing a free block", () => {
    expect(() => pool(4, { fullBlockBytes: 1, quantisedBlockBytes: 2 })).toThrow(RangeError);
    const p = pool(4);
    const b = p.allocate();
    p.freeAll([b]);
    expect(() => p.seal(b, true)).toThrow(/not being written/);
  });
});
