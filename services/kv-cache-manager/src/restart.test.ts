import { jetstreamManager } from "@nats-io/jetstream";
import { KV_EVENTS_STREAM, Subjects, ensureStream } from "@weir/bus";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KV_EVENTS_MAX_AGE_MS } from "./kv-cache-manager-service.js";
import { openSnapshotStore } from "./snapshot-store.js";
import { Harness } from "./test-support/harness.js";
import { waitFor } from "@weir/testkit";
import { chain } from "./test-support/kv-events.js";
import { Workload } from "./test-support/workload.js";

// A snapshot every 100 events, none by time: where the stored snapshot stands is up to the test.
const SNAPSHOT_EVERY_100 = { WEIR_KV_SNAPSHOT_EVERY_EVENTS: "100", WEIR_KV_SNAPSHOT_EVERY_MS: "0" };
const NO_SNAPSHOTS = { WEIR_KV_SNAPSHOT_EVERY_EVENTS: "0", WEIR_KV_SNAPSHOT_EVERY_MS: "0" };

describe("kv-cache-manager restart (real NATS)", () => {
  let h: Harness;
  let work: Workload;
  beforeEach(async () => {
    h = await Harness.start();
    work = new Workload(["w1", "w2", "w3", "w4"]);
  });
  afterEach(async () => {
    await h.close();
  });

  it("rebuilds the same index from the newest snapshot plus the stream tail", async () => {
    await h.publish(work.next(150));
    const first = await h.startManager({ replicaId: "r1", env: SNAPSHOT_EVERY_100 });
    expect(first.restoredFrom).toBe("empty");
    const store = await openSnapshotStore(h.bus);
    await waitFor(async () => ((await store.peek())?.streamSequence ?? 0n) >= 100n, { timeoutMs: 20_000 });
    const head = await h.publish(work.next(40));
    await h.caughtUp(first, head);
    const before = Harness.snapshotOf(first);
    expect(before).toEqual(Harness.snapshotBytes(h.reference(), head));
    await first.shutdown();

    // The stored snapshot is behind the head: the restart needs the tail too.
    const stored = await store.peek();
    expect(stored?.streamSequence).toBeGreaterThanOrEqual(100n);
    expect(stored?.streamSequence).toBeLessThan(BigInt(head));

    const second = await h.startManager({ replicaId: "r1", env: SNAPSHOT_EVERY_100 });
    expect(second.restoredFrom).toBe("snapshot");
    await h.caughtUp(second, head);
    expect(Harness.snapshotOf(second)).toEqual(before);
  });

  it("rebuilds the same index from the stream alone", async () => {
    const head = await h.publish(work.next(200));
    const first = await h.startManager({ replicaId: "r1", env: NO_SNAPSHOTS });
    await h.caughtUp(first, head);
    const before = Harness.snapshotOf(first);
    expect(before).toEqual(Harness.snapshotBytes(h.reference(), head));
    await first.shutdown();
    expect(await (await openSnapshotStore(h.bus)).peek()).toBeUndefined();

    const second = await h.startManager({ replicaId: "r1", env: NO_SNAPSHOTS });
    expect(second.restoredFrom).toBe("empty");
    await h.caughtUp(second, head);
    expect(Harness.snapshotOf(second)).toEqual(before);
  });

  it("applies the events published while it was down: nothing is lost", async () => {
    await h.publish(work.next(120));
    const first = await h.startManager({ replicaId: "r1", env: SNAPSHOT_EVERY_100 });
    const store = await openSnapshotStore(h.bus);
    await waitFor(async () => (await store.peek()) !== undefined, { timeoutMs: 20_000 });
    await first.shutdown();

    // While it is down: more traffic, w2 restarts (sequence back at 1, empty
    // cache), and w9 appears with a 32-block prefix.
    await h.publish(work.next(80));
    const prompt = chain(32, 5_000n); // a salt the workload never uses
    const head = await h.publish([work.fromSequenceOne("w2", prompt.slice(0, 4)), work.fromSequenceOne("w9", prompt)]);

    const second = await h.startManager({ replicaId: "r1", env: SNAPSHOT_EVERY_100 });
    await h.caughtUp(second, head);
    expect(Harness.snapshotOf(second)).toEqual(Harness.snapshotBytes(h.reference(), head));
    const res = await h.kvClient().match({ tier: "small", blockHashes: prompt });
    expect(res.matches.map((m) => [m.instanceId, m.matchedBlocks])).toEqual([
      ["w9", 32],
      ["w2", 4],
    ]);
  });

  it("ignores a snapshot of an earlier life of the stream, and replaces it", async () => {
    const every10 = { WEIR_KV_SNAPSHOT_EVERY_EVENTS: "10", WEIR_KV_SNAPSHOT_EVERY_MS: "0" };
    const oldHead = await h.publish(work.next(30));
    const first = await h.startManager({ replicaId: "r1", env: every10 });
    const store = await openSnapshotStore(h.bus);
    await waitFor(async () => (await store.peek())?.streamSequence === BigInt(oldHead), { timeoutMs: 20_000 });
    await first.shutdown();

    // Deleted and created again, the stream numbers from 1: sequence 30 of
    // the new stream is not the old snapshot's 30.
    await jetstreamManager(h.bus.nc).then((jsm) => jsm.streams.delete(KV_EVENTS_STREAM));
    await ensureStream(h.bus, { name: KV_EVENTS_STREAM, subjects: [Subjects.kvEventsAll], maxAgeMs: KV_EVENTS_MAX_AGE_MS });
    h.published.length = 0;
    const head = await h.publish(new Workload(["x1", "x2"], "small", 11).next(35));

    const second = await h.startManager({ replicaId: "r1", env: every10 });
    expect(second.restoredFrom).toBe("empty");
    await h.caughtUp(second, head);
    expect(Harness.snapshotOf(second)).toEqual(Harness.snapshotBytes(h.reference(), head));
    await waitFor(async () => (await store.peek())?.streamSequence === BigInt(head), { timeoutMs: 20_000 });
  });
});
