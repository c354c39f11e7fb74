import { PrefixIndex } from "@weir/kv-index";
import type { Logger } from "@weir/runtime";
import { IndexedStream } from "./indexed-stream.js";
import type { SnapshotStore } from "./snapshot-store.js";

/** The stream's extent now: sequences first..last are still stored (first = last + 1 when empty). */
export interface StreamExtent {
  firstSeq: number;
  lastSeq: number;
}

export interface RestoredIndex {
  stream: IndexedStream;
  /** Where the index came from: the stored snapshot, or nothing (the stream replays from its start). */
  source: "snapshot" | "empty";
  /** The snapshot's size and time, when one was used. */
  snapshot?: { bytes: number; takenAtMs: number };
}

/**
 * The index to resume from: the stored snapshot when there is a usable one,
 * else an empty index at position 0. A snapshot is unusable when it cannot be
 * read or decoded, or when it was taken from an earlier life of the stream
 * (deleted and created again since: its sequences name other events now;
 * told by the stream's creation time, or failing that by a sequence past the
 * stream's last). A snapshot from before the stream's first sequence is still
 * used, with a warning: the events in between expired unseen, so blocks they
 * removed may linger until their instance restarts or leaves, but that index
 * is closer to the truth than the stream tail alone.
 */
export async function restoreIndex(store: SnapshotStore, extent: StreamExtent, log: Logger): Promise<RestoredIndex> {
  let loaded;
  try {
    loaded = await store.load();
  } catch (err) {
    log.warn({ err }, "KV index snapshot unreadable: rebuilding the index from the stream");
    return empty();
  }
  if (loaded === undefined) return empty();

  const { snapshot, stored } = loaded;
  const seq = snapshot.streamSequence;
  if (!stored.ofThisStream || seq > BigInt(extent.lastSeq)) {
    log.warn(
      { snapshotSequence: seq.toString(), streamLastSequence: extent.lastSeq },
      "KV index snapshot is of an earlier WEIR_KV_EVENTS stream (re-created since): ignoring it",
    );
    return empty();
  }
  if (seq + 1n < BigInt(extent.firstSeq)) {
    log.warn(
      { missed: `${seq + 1n}..${extent.firstSeq - 1}` },
      "KV events between the snapshot and the stream's first sequence expired unseen: the index may hold stale blocks until their instances restart or leave",
    );
  }
  let index: PrefixIndex;
  try {
    index = PrefixIndex.fromSnapshot(snapshot);
  } catch (err) {
    log.warn({ err }, "KV index snapshot malformed: rebuilding the index from the stream");
    return empty();
  }
  return {
    stream: new IndexedStream(index, seq),
    source: "snapshot",
    snapshot: { bytes: stored.bytes, takenAtMs: Number(snapshot.takenAtMs) },
  };
}

function empty(): RestoredIndex {
  return { stream: new IndexedStream(new PrefixIndex(), 0n), source: "empty" };
}
