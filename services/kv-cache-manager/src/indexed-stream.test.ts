import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { PrefixIndex } from "@weir/kv-index";
import { KvIndexSnapshotSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { IndexedStream } from "./indexed-stream.js";
import { kvEvent } from "./test-support/kv-events.js";

describe("IndexedStream", () => {
  it("moves its position with each event and skips redeliveries", () => {
    const s = new IndexedStream(new PrefixIndex(), 0n);
    expect(s.apply(1, kvEvent("a", 1, [1n, 2n]))).toEqual({ applied: true });
    expect(s.apply(2, undefined)).toEqual({ applied: false }); // undecodable: position only
    expect(s.apply(2, kvEvent("a", 2, [3n]))).toBe("redelivered");
    expect(s.streamSequence).toBe(2n);
    expect(s.changes).toBe(2);
  });

  it("snapshots at its position, and holds drops and writes back until the snapshot is done", async () => {
    const s = new IndexedStream(new PrefixIndex(), 10n);
    s.apply(11, kvEvent("a", 1, [1n, 2n]));
    s.apply(12, kvEvent("b", 1, [1n]));
    const expected = toBinary(KvIndexSnapshotSchema, s.index.toSnapshot({ streamSequence: 12n, takenAtMs: 5n }));

    const dropped: number[] = [];
    const writing = s.snapshot(() => 5);
    expect(s.writable).toBe(false);
    expect(() => s.apply(13, kvEvent("a", 2, [3n]))).toThrow(/snapshot/);
    s.drop("a", (n) => dropped.push(n));
    s.drop("nobody", (n) => dropped.push(n));
    expect(s.index.stats().blocks).toBe(3);

    const snap = await writing;
    expect(snap.streamSequence).toBe(12n);
    expect(Buffer.from(snap.bytes)).toEqual(Buffer.from(expected));
    expect(fromBinary(KvIndexSnapshotSchema, snap.bytes).instances.map((i) => i.instanceId)).toEqual(["a", "b"]);
    expect(dropped).toEqual([2]);
    expect(s.index.stats().blocks).toBe(1);
    expect(s.writable).toBe(true);
  });
});
