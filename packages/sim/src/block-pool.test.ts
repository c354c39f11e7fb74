import type { KvEventInit } from "@weir/engine";
import { describe, expect, it } from "vitest";
import { BlockPool } from "./block-pool.js";
import { KvEventEmitter } from "./kv-events.js";

function pool(blocks: number): { pool: BlockPool; events: KvEventInit[] } {
  const emitter = new KvEventEmitter("small", "w1");
  const events: KvEventInit[] = [];
  emitter.subscribe((e) => events.push(e));
  return { pool: new BlockPool(blocks, 16, emitter), events };
}

describe("BlockPool (paged KV blocks with a prefix cache)", () => {
  it("counts free blocks and usage as blocks are taken and freed", () => {
    const { pool: p } = pool(4);
    const a = p.allocate();
    const b = p.allocate();
    expect(p.freeBlocks).toBe(2);
    expect(p.usage).toBe(0.5);
    p.freeAll([a, b]);
    expect(p.freeBlocks).toBe(4);
    expect(p.usage).toBe(0);
  });

  it("keeps freed full blocks findable by hash until they are evicted", () => {
    const { pool: p } = pool(4);
    const blocks = [p.allocate(), p.allocate()];
    p.cache(blocks[0]!, 11n);
    p.cache(blocks[1]!, 12n);
    p.freeAll(blocks);
    const out: number[] = [];
    expect(p.matchPrefix([11n, 12n, 13n], 3, out)).toBe(2);
    expect(out).toEqual(blocks);
    expect(p.countUnused(out)).toBe(2);
    // Taking a cached block back removes it from the free queue.
    p.take(out[0]!);
    expect(p.freeBlocks).toBe(3);
    expect(p.countUnused(out)).toBe(1);
  });

  it("evicts least recently freed first, each request's tail before its head, and reports the removals", () => {
    const { pool: p, events } = pool(4);
    const first = [p.allocate(), p.allocate()];
    p.cache(first[0]!, 1n);
    p.cache(first[1]!, 2n);
    const second = [p.allocate(), p.allocate()];
    p.cache(second[0]!, 3n);
    p.cache(second[1]!, 4n);
    p.freeAll(first); // freed first: the oldest
    p.freeAll(second);
    p.allocate(); // evicts block of hash 2 (first's tail)
    expect(p.matchPrefix([1n, 2n], 2)).toBe(1);
    p.allocate(); // then hash 1 (first's head)
    p.allocate(); // then hash 4 (second's tail)
    expect(p.matchPrefix([3n, 4n], 2)).toBe(1);
    p.flushEvents(5);
    expect(events).toEqual([
      expect.objectContaining({ sequence: 1n, timestampMs: 5n, event: { case: "removed", value: { blockHashes: [2n, 1n, 4n] } } }),
    ]);
  });

  it("a prefix hit refreshes recency: the re-used prefix outlives a newer, unused one", () => {
    const { pool: p } = pool(2);
    const a = p.allocate();
    p.cache(a, 1n);
    const b = p.allocate();
    p.cache(b, 2n);
    p.freeAll([a]);
    p.freeAll([b]);
    // Hash 1 is hit again (taken and freed): now b is the least recently used.
    p.take(a);
    p.freeAll([a]);
    p.allocate();
    expect(p.matchPrefix([1n], 1)).toBe(1);
    expect(p.matchPrefix([2n], 1)).toBe(0);
  });

  it("does not cache a second block under a hash already held", () => {
    const { pool: p } = pool(2);
    const a = p.allocate();
    const b = p.allocate();
    expect(p.cache(a, 7n)).toBe(true);
    expect(p.cache(b, 7n)).toBe(false);
    expect(p.cachedBlocks).toBe(1);
  });

  it("refuses to allocate from an empty pool", () => {
    const { pool: p } = pool(1);
    p.allocate();
    expect(() => p.allocate()).toThrow(/no free block/);
  });
});
