import { fromBinary } from "@bufbuild/protobuf";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { type ObjectInfo, type ObjectStore, Objm } from "@nats-io/obj";
import { type Bus, KV_SNAPSHOTS_STORE } from "@weir/bus";
import { type KvIndexSnapshot, KvIndexSnapshotSchema } from "@weir/proto";
import type { EncodedSnapshot } from "./indexed-stream.js";

/** The one object every replica reads and writes: the newest snapshot replaces the previous one. */
export const SNAPSHOT_OBJECT = "prefix-index";

/** What the stored snapshot's object metadata says, without downloading it. */
export interface StoredSnapshot {
  streamSequence: bigint;
  takenAtMs: number;
  bytes: number;
  /** The object's revision: a put expecting it fails if another replica wrote meanwhile. */
  revision: number;
  /**
   * Taken from the stream as it is now. False when the stream was deleted and
   * created again since: its sequence numbers then name other events, and the
   * snapshot is worthless however its sequence compares.
   */
  ofThisStream: boolean;
}

export interface SnapshotStore {
  /** The stored snapshot's metadata; undefined when there is none. */
  peek(): Promise<StoredSnapshot | undefined>;
  /** The stored snapshot, decoded; undefined when there is none. Throws when it cannot be read or decoded. */
  load(): Promise<{ snapshot: KvIndexSnapshot; stored: StoredSnapshot } | undefined>;
  /**
   * Replaces the stored snapshot, provided it is still the one at
   * `expectedRevision` (0: none yet). Returns false, having written nothing,
   * when another replica replaced it first.
   */
  save(snapshot: EncodedSnapshot, expectedRevision: number): Promise<StoredSnapshot | false>;
}

/**
 * The index snapshots in the NATS object store KV_SNAPSHOTS_STORE. A
 * snapshot is one object, rewritten in place. Its stream sequence, time and
 * the stream's identity (`streamCreated`, the creation time of
 * WEIR_KV_EVENTS, which differs between two lives of the stream) go into the
 * object's metadata, so a replica can tell whether a snapshot is due, or
 * usable, with one small request. Writes are compare-and-set on the object's
 * revision: two replicas writing at once cannot both win, and the loser's
 * chunks are purged by the client, so nothing leaks.
 */
export async function openSnapshotStore(bus: Bus, streamCreated = ""): Promise<SnapshotStore> {
  const store: ObjectStore = await new Objm(bus.nc).create(KV_SNAPSHOTS_STORE, {
    description: "kv-cache-manager prefix index snapshots (weir.v1.KvIndexSnapshot)",
  });
  const describe = (info: ObjectInfo): StoredSnapshot => storedSnapshot(info, streamCreated);
  return {
    async peek() {
      const info = await store.info(SNAPSHOT_OBJECT);
      return info === null || info.deleted ? undefined : describe(info);
    },
    async load() {
      const result = await store.get(SNAPSHOT_OBJECT);
      if (result === null) return undefined;
      const bytes = await readAll(result.data);
      const failure = await result.error;
      if (failure) throw failure;
      return { snapshot: fromBinary(KvIndexSnapshotSchema, bytes), stored: describe(result.info) };
    },
    async save(snapshot, expectedRevision) {
      try {
        const info = await store.putBlob(
          {
            name: SNAPSHOT_OBJECT,
            metadata: {
              streamSequence: snapshot.streamSequence.toString(),
              takenAtMs: String(snapshot.takenAtMs),
              streamCreated,
            },
          },
          snapshot.bytes,
          { previousRevision: expectedRevision },
        );
        return describe(info);
      } catch (err) {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence) return false;
        throw err;
      }
    },
  };
}

function storedSnapshot(info: ObjectInfo, streamCreated: string): StoredSnapshot {
  const meta = info.metadata ?? {};
  const seq = meta.streamSequence ?? "";
  return {
    streamSequence: /^\d+$/.test(seq) ? BigInt(seq) : 0n,
    takenAtMs: Number(meta.takenAtMs ?? Date.parse(info.mtime)),
    bytes: info.size,
    revision: info.revision,
    ofThisStream: (meta.streamCreated ?? "") === streamCreated,
  };
}

async function readAll(data: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = data.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}
