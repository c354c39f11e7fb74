import { fromBinary } from "@bufbuild/protobuf";
import { PrefixIndex } from "@weir/kv-index";
import { KvIndexSnapshotSchema } from "@weir/proto";
import { createLogger } from "@weir/runtime";
import { describe, expect, it } from "vitest";
import { type EncodedSnapshot, IndexedStream } from "./indexed-stream.js";
import { startSnapshotSchedule, storedIsFresh } from "./snapshot-schedule.js";
import type { SnapshotStore, StoredSnapshot } from "./snapshot-store.js";
import { kvEvent } from "./test-support/kv-events.js";

const log = createLogger("test", { level: "silent" });

/** An in-memory SnapshotStore with the real one's compare-and-set; `others` lets a test write as another replica. */
function memoryStore() {
  let stored: (StoredSnapshot & { data: Uint8Array }) | undefined;
  let revision = 0;
  const store: SnapshotStore = {
    peek: async () => stored,
    load: async () => stored && { snapshot: fromBinary(KvIndexSnapshotSchema, stored.data), stored },
    save: async (snap: EncodedSnapshot, expected: number) => {
      if (expected !== (stored?.revision ?? 0)) return false;
      stored = { streamSequence: snap.streamSequence, takenAtMs: snap.takenAtMs, bytes: snap.bytes.length, revision: ++revision, ofThisStream: true, data: snap.bytes };
      return stored;
    },
  };
  return {
    store,
    stored: () => stored,
    writeAsAnotherReplica: (seq: bigint, at: number, ofThisStream = true) => {
      stored = { streamSequence: seq, takenAtMs: at, bytes: 1, revision: ++revision, ofThisStream, data: new Uint8Array() };
    },
  };
}

function feed(stream: IndexedStream, from: number, count: number): void {
  for (let i = 0; i < count; i++) stream.apply(from + i, kvEvent("a", from + i, [BigInt(from + i)]));
}

describe("storedIsFresh", () => {
  const settings = { snapshotEveryEvents: 100, snapshotEveryMs: 30_000 };
  const stored = (seq: number, at: number, ofThisStream = true): StoredSnapshot => ({
    streamSequence: BigInt(seq),
    takenAtMs: at,
    bytes: 1,
    revision: 1,
    ofThisStream,
  });
  it("is fresh within both limits or when ahead of this replica", () => {
    expect(storedIsFresh(stored(950, 1_000), 1_000n, 20_000, settings)).toBe(true);
    expect(storedIsFresh(stored(900, 1_000), 1_000n, 20_000, settings)).toBe(false); // 100 events behind
    expect(storedIsFresh(stored(990, 1_000), 1_000n, 31_000, settings)).toBe(false); // 30 s old
    expect(storedIsFresh(stored(5_000, 0), 1_000n, 1e9, settings)).toBe(true); // this replica is catching up
    expect(storedIsFresh(stored(10, 0), 1_000n, 1e9, { snapshotEveryEvents: 0, snapshotEveryMs: 0 })).toBe(true);
  });

  it("is never fresh when taken from an earlier life of the stream", () => {
    expect(storedIsFresh(stored(5_000, 19_000, false), 1_000n, 20_000, settings)).toBe(false);
  });
});

describe("snapshot schedule", () => {
  it("writes after everyEvents changes, at the stream's position, and not again until the next ones", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 10, snapshotEveryMs: 0 }, log, timer: false });
    feed(stream, 1, 9);
    expect(await sched.tick()).toBe("idle");
    feed(stream, 10, 1);
    expect(await sched.tick()).toBe("written");
    expect(mem.stored()?.streamSequence).toBe(10n);
    const restored = PrefixIndex.fromSnapshot(fromBinary(KvIndexSnapshotSchema, mem.stored()!.data));
    expect(restored.stats()).toEqual(stream.index.stats());
    expect(await sched.tick()).toBe("idle");
    feed(stream, 11, 10);
    expect(await sched.tick()).toBe("written");
    expect(mem.stored()?.streamSequence).toBe(20n);
  });

  it("counts the changes applied before it started (the catch-up after a restore)", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    feed(stream, 1, 12);
    const mem = memoryStore();
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 10, snapshotEveryMs: 0 }, log, timer: false });
    expect(await sched.tick()).toBe("written");
    expect(mem.stored()?.streamSequence).toBe(12n);
  });

  it("writes after everyMs if anything changed, never when nothing did", async () => {
    let clock = 1_000;
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 0, snapshotEveryMs: 5_000 }, log, now: () => clock, timer: false });
    clock += 10_000;
    expect(await sched.tick()).toBe("idle");
    feed(stream, 1, 1);
    expect(await sched.tick()).toBe("written");
    clock += 4_999;
    feed(stream, 2, 1);
    expect(await sched.tick()).toBe("idle");
    clock += 1;
    expect(await sched.tick()).toBe("written");
  });

  it("skips when another replica's snapshot is fresh, and counts on from it", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 10, snapshotEveryMs: 0 }, log, timer: false });
    feed(stream, 1, 10);
    mem.writeAsAnotherReplica(8n, Date.now());
    expect(await sched.tick()).toBe("skipped");
    feed(stream, 11, 7); // 9 events past the other replica's snapshot
    expect(await sched.tick()).toBe("idle");
    feed(stream, 18, 1);
    expect(await sched.tick()).toBe("written");
    expect(mem.stored()?.streamSequence).toBe(18n);
  });

  it("does not replace a snapshot ahead of it while catching up", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    mem.writeAsAnotherReplica(500n, Date.now());
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 10, snapshotEveryMs: 0 }, log, timer: false });
    feed(stream, 1, 20);
    expect(await sched.tick()).toBe("skipped");
    expect(mem.stored()?.streamSequence).toBe(500n);
  });

  it("replaces a snapshot of an earlier stream, even one further along", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    mem.writeAsAnotherReplica(500n, Date.now(), false);
    const sched = startSnapshotSchedule({ stream, store: mem.store, settings: { snapshotEveryEvents: 10, snapshotEveryMs: 0 }, log, timer: false });
    feed(stream, 1, 10);
    expect(await sched.tick()).toBe("written");
    expect(mem.stored()).toMatchObject({ streamSequence: 10n, ofThisStream: true });
  });

  it("loses a race cleanly: nothing written over the other replica's snapshot", async () => {
    const stream = new IndexedStream(new PrefixIndex(), 0n);
    const mem = memoryStore();
    const racing: SnapshotStore = {
      ...mem.store,
      save: async (snap, expected) => {
        mem.writeAsAnotherReplica(3n, 0); // lands between our peek and our put
        return mem.store.save(snap, expected);
      },
    };
    const sched = startSnapshotSchedule({ stream, store: racing, settings: { snapshotEveryEvents: 5, snapshotEveryMs: 0 }, log, timer: false });
    feed(stream, 1, 5);
    expect(await sched.tick()).toBe("lost-race");
    expect(mem.stored()?.streamSequence).toBe(3n);
  });
});
