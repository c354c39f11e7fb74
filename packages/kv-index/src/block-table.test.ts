import { describe, expect, it } from "vitest";
import { BlockTable } from "./block-table.js";
import { chain } from "./test-support/kv-events.js";

describe("BlockTable", () => {
  it("stores, finds, replaces and deletes 64-bit keys, including ones above 2^63", () => {
    const t = new BlockTable();
    const top = 0xffff_ffff_ffff_ffffn;
    expect(t.set(top, 7)).toBeUndefined();
    t.set(0n, 0);
    t.set(1n << 32n, -5);
    expect([t.get(top), t.get(0n), t.get(1n << 32n), t.get(1n)]).toEqual([7, 0, -5, undefined]);
    expect(t.set(0n, 1)).toBe(0);
    expect(t.size).toBe(3);
    expect(t.delete(top)).toBe(7);
    expect(t.delete(top)).toBeUndefined();
    expect(t.has(top)).toBe(false);
    expect(t.size).toBe(2);
    expect([...t.keys().sort()]).toEqual([0n, 1n << 32n]);
  });

  it("agrees with a Map through growth, deletions (probe runs shifted back) and shrinking", () => {
    const t = new BlockTable();
    const m = new Map<bigint, number>();
    const keys = chain(20_000, 5n);
    // Keys differing only in one word collide on that word: the other must tell them apart.
    for (let i = 0; i < 200; i++) keys.push(BigInt(i) << 32n, BigInt(i));
    keys.forEach((k, i) => {
      t.set(k, i);
      m.set(k, i);
    });
    keys.forEach((k, i) => {
      if (i % 3 !== 0) {
        expect(t.delete(k)).toBe(m.get(k));
        m.delete(k);
      }
    });
    expect(t.size).toBe(m.size);
    for (const k of keys) expect(t.get(k)).toBe(m.get(k));
    for (const k of [...m.keys()]) t.delete(k);
    expect(t.size).toBe(0);
    for (const k of keys.slice(0, 100)) expect(t.get(k)).toBeUndefined();
  });

  it("refuses the value that marks an empty slot", () => {
    expect(() => new BlockTable().set(1n, -0x8000_0000)).toThrow(RangeError);
    expect(() => new BlockTable().set(1n, 0.5)).toThrow(RangeError);
  });

  it("lists its keys and entries, and clears", () => {
    const t = new BlockTable(100);
    const keys = chain(100, 9n);
    for (const k of keys) t.set(k, 1);
    const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
    expect([...t.keys()].sort(ascending)).toEqual([...keys].sort(ascending));
    let n = 0;
    t.forEachWords(() => n++);
    expect(n).toBe(100);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get(keys[0] as bigint)).toBeUndefined();
  });
});
