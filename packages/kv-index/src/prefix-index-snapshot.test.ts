import { create, toBinary } from "@bufbuild/protobuf";
import { KvIndexSnapshotSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { PrefixIndex } from "./prefix-index.js";
import { chain, kvEvent } from "./test-support/kv-events.js";

const H = chain(16);
const h = (i: number): bigint => H[i] as bigint;
const bytes = (index: PrefixIndex) => toBinary(KvIndexSnapshotSchema, index.toSnapshot({ streamSequence: 9n }));

describe("PrefixIndex snapshots", () => {
  it("are canonical: the same state reached in a different order gives the same bytes", () => {
    const one = new PrefixIndex();
    one.apply(kvEvent("b", 1, { stored: [h(3), h(1), h(2)] }, { tier: "large" }));
    one.apply(kvEvent("a", 1, { stored: [h(0), h(1)] }));
    one.apply(kvEvent("a", 2, { stored: [h(5)] }));

    // Other instance order, other block order, a block stored and removed on the way.
    const two = new PrefixIndex();
    two.apply(kvEvent("a", 1, { stored: [h(5), h(9), h(1)] }));
    two.apply(kvEvent("b", 1, { stored: [h(2), h(1), h(3)] }, { tier: "large" }));
    two.apply(kvEvent("a", 2, { stored: [h(0)] }));
    expect(bytes(two)).not.toEqual(bytes(one)); // a still holds h(9)

    two.apply(kvEvent("a", 2, { removed: [h(9)] })); // a duplicate: ignored
    expect(bytes(two)).not.toEqual(bytes(one));
    two.dropInstance("a");
    two.apply(kvEvent("a", 1, { stored: [h(1), h(5), h(0)] }));
    two.apply(kvEvent("a", 2, { stored: [h(0)] }));
    expect(bytes(two)).toEqual(bytes(one));
  });

  it("orders instances by id and block hashes as unsigned 64-bit numbers", () => {
    const index = new PrefixIndex();
    const top = 0xffff_ffff_ffff_fff0n; // above 2^63: a signed sort would put it first
    index.apply(kvEvent("z", 1, { stored: [top, 7n, 1n << 63n, 3n] }));
    index.apply(kvEvent("m", 4, { stored: [2n] }, { tier: "large", at: 77 }));
    const snap = index.toSnapshot({ streamSequence: 12n, takenAtMs: 1234n });
    expect(snap.streamSequence).toBe(12n);
    expect(snap.takenAtMs).toBe(1234n);
    expect(snap.instances.map((i) => [i.instanceId, i.tier, i.lastSequence, i.lastTimestampMs])).toEqual([
      ["m", "large", 4n, 77n],
      ["z", "small", 1n, 1001n],
    ]);
    expect(snap.instances[1]?.blockHashes).toEqual([3n, 7n, 1n << 63n, top]);
  });

  it("restores an index that matches, counts and sequences like the original", () => {
    const original = new PrefixIndex();
    original.apply(kvEvent("a", 1, { stored: [h(0), h(1), h(2)] }, { at: 100 }));
    original.apply(kvEvent("b", 3, { stored: [h(0)] }));
    original.apply(kvEvent("c", 1, { stored: [h(0)] }));
    original.apply(kvEvent("c", 2, { cleared: true })); // tracked, no blocks
    original.apply(kvEvent("l", 1, { stored: [h(7)] }, { tier: "large" }));

    const restored = PrefixIndex.fromSnapshot(original.toSnapshot({ streamSequence: 5n }));
    expect(bytes(restored)).toEqual(bytes(original));
    expect(restored.stats()).toEqual(original.stats());
    expect(restored.match("small", [h(0), h(1), h(2)])).toEqual(original.match("small", [h(0), h(1), h(2)]));
    expect(restored.match("large", [h(7)])).toEqual([{ instanceId: "l", matchedBlocks: 1 }]);
    expect(restored.lastSequence("c")).toBe(2n);
    // Sequencing survives: a replayed event is a duplicate, a restart is still recognised.
    expect(restored.apply(kvEvent("b", 3, { cleared: true })).applied).toBe(false);
    expect(restored.apply(kvEvent("a", 1, { stored: [h(9)] }, { at: 5_000 }))).toEqual({ applied: true, restarted: true });
    expect(restored.match("small", [h(0)])).toEqual([{ instanceId: "b", matchedBlocks: 1 }]);
  });

  it("encodes in parts that concatenate to the whole snapshot's bytes", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0), h(1), h(2)] }));
    index.apply(kvEvent("b", 1, { stored: [h(3)] }));
    index.apply(kvEvent("c", 2, { stored: [h(4), h(5)] }, { tier: "large" }));
    index.apply(kvEvent("d", 1, { cleared: true }));
    const point = { streamSequence: 42n, takenAtMs: 1_700_000_000_000n };
    for (const perPart of [1, 2, 1_000]) {
      const parts = [...index.toSnapshotParts(point, perPart)];
      if (perPart === 1) expect(parts.length).toBe(2 + 3 + 1); // header, a / b / c+d, trailer
      expect(Buffer.concat(parts)).toEqual(Buffer.from(toBinary(KvIndexSnapshotSchema, index.toSnapshot(point))));
    }
    expect(Buffer.concat([...new PrefixIndex().toSnapshotParts()])).toEqual(
      Buffer.from(toBinary(KvIndexSnapshotSchema, new PrefixIndex().toSnapshot())),
    );
  });

  it("refuses to go on with parts once the index has changed", () => {
    const index = new PrefixIndex();
    index.apply(kvEvent("a", 1, { stored: [h(0)] }));
    index.apply(kvEvent("b", 1, { stored: [h(1)] }));
    const parts = index.toSnapshotParts({}, 1);
    parts.next();
    index.apply(kvEvent("b", 2, { stored: [h(2)] }));
    expect(() => parts.next()).toThrow(/changed while its snapshot/);
    const unchanged = index.toSnapshotParts({}, 1);
    index.apply(kvEvent("b", 2, { stored: [h(3)] })); // a duplicate changes nothing
    expect(() => [...unchanged]).not.toThrow();
    const dropped = index.toSnapshotParts({}, 1);
    index.dropInstance("a");
    expect(() => [...dropped]).toThrow(/changed/);
  });

  it("snapshots an empty index as no instances", () => {
    expect(new PrefixIndex().toSnapshot().instances).toEqual([]);
    expect(PrefixIndex.fromSnapshot(create(KvIndexSnapshotSchema)).stats()).toEqual({
      instances: 0,
      blocks: 0,
      uniqueBlocks: 0,
      tiers: 0,
    });
  });

  it("refuses a snapshot listing an instance twice or one without an id", () => {
    const twice = create(KvIndexSnapshotSchema, { instances: [{ instanceId: "a" }, { instanceId: "a" }] });
    expect(() => PrefixIndex.fromSnapshot(twice)).toThrow(/"a" twice/);
    const nameless = create(KvIndexSnapshotSchema, { instances: [{ instanceId: "" }] });
    expect(() => PrefixIndex.fromSnapshot(nameless)).toThrow(/without an id/);
  });
});
