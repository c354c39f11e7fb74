import { describe, expect, it } from "vitest";
import { PrefixIndex } from "./prefix-index.js";
import { chain, kvEvent } from "./test-support/kv-events.js";

const H = chain(8);
const h = (i: number): bigint => H[i] as bigint;

describe("PrefixIndex.apply", () => {
  it("indexes stored blocks, forgets removed ones, drops all on cleared", () => {
    const index = new PrefixIndex();
    expect(index.apply(kvEvent("a", 1, { stored: [h(0), h(1), h(2)] }))).toEqual({ applied: true });
    expect(index.match("small", [h(0), h(1), h(2)])).toEqual([{ instanceId: "a", matchedBlocks: 3 }]);

    index.apply(kvEvent("a", 2, { removed: [h(2)] }));
    expect(index.match("small", [h(0), h(1), h(2)])).toEqual([{ instanceId: "a", matchedBlocks: 2 }]);
    expect(index.stats()).toEqual({ instances: 1, blocks: 2, uniqueBlocks: 2, tiers: 1 });

    index.apply(kvEvent("a", 3, { cleared: true }));
    expect(index.match("small", [h(0), h(1)])).toEqual([]);
    expect(index.stats()).toEqual({ instances: 1, blocks: 0, uniqueBlocks: 0, tiers: 0 });
  });

  it("ignores removal of blocks it never saw and storing a block twice", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0), h(0)] }));
    index.apply(kvEvent("a", 2, { removed: [h(5)] }));
    expect(index.stats().blocks).toBe(1);
  });

  it("ignores duplicates: a sequence at or below the last applied", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0)] }));
    index.apply(kvEvent("a", 2, { stored: [h(1)] }));
    expect(index.apply(kvEvent("a", 2, { removed: [h(1)] }))).toEqual({ applied: false });
    expect(index.apply(kvEvent("a", 1, { cleared: true }, { at: 1001 }))).toEqual({ applied: false });
    expect(index.match("small", [h(0), h(1)])).toEqual([{ instanceId: "a", matchedBlocks: 2 }]);
    expect(index.lastSequence("a")).toBe(2n);
  });

  it("applies an event after a gap and reports the gap", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0)] }));
    expect(index.apply(kvEvent("a", 4, { stored: [h(1)] }))).toEqual({
      applied: true,
      gap: { expected: 2n, got: 4n },
    });
    expect(index.match("small", [h(0), h(1)])).toEqual([{ instanceId: "a", matchedBlocks: 2 }]);
    // The sequence moved on: the missed ones, arriving late, are now duplicates.
    expect(index.apply(kvEvent("a", 3, { removed: [h(0)] })).applied).toBe(false);
  });

  it("reports a gap when the first event seen from an instance is not sequence 1", () => {
    const index = new PrefixIndex();
    expect(index.apply(kvEvent("a", 7, { stored: [h(0)] }))).toEqual({
      applied: true,
      gap: { expected: 1n, got: 7n },
    });
  });

  it("treats sequence 1 with a later timestamp as a restart: old blocks dropped", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0), h(1)] }, { at: 100 }));
    index.apply(kvEvent("a", 2, { stored: [h(2)] }, { at: 200 }));
    expect(index.apply(kvEvent("a", 1, { stored: [h(5)] }, { at: 5_000 }))).toEqual({
      applied: true,
      restarted: true,
    });
    expect(index.match("small", [h(0)])).toEqual([]);
    expect(index.match("small", [h(5)])).toEqual([{ instanceId: "a", matchedBlocks: 1 }]);
    expect(index.lastSequence("a")).toBe(1n);
  });

  it("ignores an event without an instance id", () => {
    expect(new PrefixIndex().apply(kvEvent("", 1, { stored: [h(0)] }))).toEqual({ applied: false });
  });

  it("moves an instance that reports a new tier, without its old blocks", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0)] }, { tier: "small" }));
    index.apply(kvEvent("a", 2, { stored: [h(1)] }, { tier: "large" }));
    expect(index.match("small", [h(0)])).toEqual([]);
    expect(index.match("large", [h(1)])).toEqual([{ instanceId: "a", matchedBlocks: 1 }]);
  });
});

describe("PrefixIndex.match", () => {
  it("counts only LEADING blocks: holding 0, 1 and 3 matches 2", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0), h(1), h(3)] }));
    expect(index.match("small", [h(0), h(1), h(2), h(3)])).toEqual([{ instanceId: "a", matchedBlocks: 2 }]);
  });

  it("returns nothing when no instance holds the first block", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(1), h(2)] }));
    expect(index.match("small", [h(0), h(1), h(2)])).toEqual([]);
    expect(index.match("small", [])).toEqual([]);
    expect(index.match("nowhere", [h(1)])).toEqual([]);
  });

  it("matches several instances, longest prefix first, ties by id", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("short", 1, { stored: [h(0)] }));
    index.apply(kvEvent("long", 1, { stored: [h(0), h(1), h(2), h(3)] }));
    index.apply(kvEvent("mid-b", 1, { stored: [h(0), h(1)] }));
    index.apply(kvEvent("mid-a", 1, { stored: [h(0), h(1), h(3)] }));
    index.apply(kvEvent("none", 1, { stored: [h(1), h(2)] }));
    expect(index.match("small", [h(0), h(1), h(2), h(3), h(4)])).toEqual([
      { instanceId: "long", matchedBlocks: 4 },
      { instanceId: "mid-a", matchedBlocks: 2 },
      { instanceId: "mid-b", matchedBlocks: 2 },
      { instanceId: "short", matchedBlocks: 1 },
    ]);
  });

  it("keeps tiers separate", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("s", 1, { stored: [h(0), h(1)] }, { tier: "small" }));
    index.apply(kvEvent("l", 1, { stored: [h(0)] }, { tier: "large" }));
    expect(index.match("small", [h(0), h(1)])).toEqual([{ instanceId: "s", matchedBlocks: 2 }]);
    expect(index.match("large", [h(0), h(1)])).toEqual([{ instanceId: "l", matchedBlocks: 1 }]);
    expect(index.stats()).toEqual({ instances: 2, blocks: 3, uniqueBlocks: 3, tiers: 2 });
  });

  it("shares a block between instances and keeps it until the last holder lets go", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0)] }));
    index.apply(kvEvent("b", 1, { stored: [h(0)] }));
    expect(index.stats()).toMatchObject({ blocks: 2, uniqueBlocks: 1 });
    index.apply(kvEvent("a", 2, { removed: [h(0)] }));
    expect(index.match("small", [h(0)])).toEqual([{ instanceId: "b", matchedBlocks: 1 }]);
    index.apply(kvEvent("b", 2, { removed: [h(0)] }));
    expect(index.match("small", [h(0)])).toEqual([]);
    expect(index.stats()).toMatchObject({ blocks: 0, uniqueBlocks: 0 });
  });

  it("matches a 2048-block (32k-token) chain correctly", () => {
    const index = new PrefixIndex();
    const prompt = chain(2048, 1n);
    const other = chain(2048, 2n);
    index.apply(kvEvent("full", 1, { stored: prompt }));
    index.apply(kvEvent("half", 1, { stored: prompt.slice(0, 1024) }));
    // Holds all but block 1500: a hole ends its prefix there.
    index.apply(kvEvent("holed", 1, { stored: [...prompt.slice(0, 1500), ...prompt.slice(1501)] }));
    index.apply(kvEvent("other", 1, { stored: other }));
    const started = performance.now();
    const matches = index.match("small", prompt);
    const elapsedMs = performance.now() - started;
    expect(matches).toEqual([
      { instanceId: "full", matchedBlocks: 2048 },
      { instanceId: "holed", matchedBlocks: 1500 },
      { instanceId: "half", matchedBlocks: 1024 },
    ]);
    expect(index.match("small", other)).toEqual([{ instanceId: "other", matchedBlocks: 2048 }]);
    // Not a timing assertion worth flaking on; only a guard against a
    // pathological (quadratic) walk.
    expect(elapsedMs).toBeLessThan(100);
  });
});

describe("PrefixIndex.dropInstance", () => {
  it("removes the instance's blocks and sequence, and reports how many", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 5, { stored: [h(0), h(1), h(2)] }));
    index.apply(kvEvent("b", 1, { stored: [h(0)] }));
    expect(index.dropInstance("a")).toBe(3);
    expect(index.dropInstance("a")).toBe(0);
    expect(index.match("small", [h(0), h(1)])).toEqual([{ instanceId: "b", matchedBlocks: 1 }]);
    expect(index.lastSequence("a")).toBeUndefined();
    expect(index.stats()).toEqual({ instances: 1, blocks: 1, uniqueBlocks: 1, tiers: 1 });
    // Forgotten: its next event starts tracking afresh.
    expect(index.apply(kvEvent("a", 1, { stored: [h(0)] })).applied).toBe(true);
  });
});

describe("PrefixIndex.match against a naive walk", () => {
  /** The specification: per instance, count leading prompt blocks it holds. */
  function naive(held: Map<string, Set<bigint>>, prompt: bigint[]) {
    const out: { instanceId: string; matchedBlocks: number }[] = [];
    for (const [instanceId, blocks] of held) {
      let n = 0;
      while (n < prompt.length && blocks.has(prompt[n] as bigint)) n++;
      if (n > 0) out.push({ instanceId, matchedBlocks: n });
    }
    return out.sort((a, b) => b.matchedBlocks - a.matchedBlocks || (a.instanceId < b.instanceId ? -1 : 1));
  }

  it("agrees on random workloads with shared prefixes, holes, removals, drops and slot reuse", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const prompt = chain(300, 77n);
    const index = new PrefixIndex();
    const held = new Map<string, Set<bigint>>();
    const seq = new Map<string, number>();
    const next = (id: string) => {
      const s = (seq.get(id) ?? 0) + 1;
      seq.set(id, s);
      return s;
    };
    for (let round = 0; round < 400; round++) {
      const id = `i${rand(24)}`;
      const mine = held.get(id) ?? new Set<bigint>();
      held.set(id, mine);
      const op = rand(10);
      if (op < 6) {
        const from = rand(3) === 0 ? rand(300) : 0;
        const blocks = prompt.slice(from, from + 1 + rand(300));
        blocks.forEach((b) => mine.add(b));
        index.apply(kvEvent(id, next(id), { stored: blocks }));
      } else if (op < 9) {
        const gone = [...mine].filter(() => rand(4) === 0);
        gone.forEach((b) => mine.delete(b));
        index.apply(kvEvent(id, next(id), { removed: gone }));
      } else {
        index.dropInstance(id);
        held.delete(id);
        seq.delete(id);
      }
      if (round % 20 === 0) {
        const start = rand(3) === 0 ? rand(50) : 0;
        const q = prompt.slice(start);
        expect(index.match("small", q)).toEqual(naive(held, q));
      }
    }
    expect(index.match("small", prompt)).toEqual(naive(held, prompt));
  });
});
