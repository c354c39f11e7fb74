import type { ApplyResult, PrefixIndex } from "@weir/kv-index";
import type { KvEvent } from "@weir/proto";
import { MutationGate } from "./mutation-gate.js";

/**
 * Blocks per snapshot part: encoding one takes ~3 ms (a million entries take
 * ~0.2 s in all), so a match waits at most that long behind a snapshot.
 */
const BLOCKS_PER_PART = 16_384;

/** Yields to the event loop, so requests queued behind a long job get served. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An encoded KvIndexSnapshot and the stream sequence it stands at. */
export interface EncodedSnapshot {
  bytes: Uint8Array;
  streamSequence: bigint;
  takenAtMs: number;
}

/**
 * The prefix index together with the last WEIR_KV_EVENTS sequence applied to
 * it: the pair a snapshot records and a restart resumes from. Every change
 * goes through here, so the position and the index never disagree.
 */
export class IndexedStream {
  private readonly gate = new MutationGate();
  /** Events applied and instances dropped so far: what the snapshot trigger counts. */
  private changeCount = 0;

  constructor(
    readonly index: PrefixIndex,
    private position: bigint,
  ) {}

  /** The last stream sequence applied (0 when none). */
  get streamSequence(): bigint {
    return this.position;
  }

  get changes(): number {
    return this.changeCount;
  }

  /** False while a snapshot is being written: wait for opened() before apply(). */
  get writable(): boolean {
    return this.gate.open;
  }

  opened(): Promise<void> {
    return this.gate.opened();
  }

  /**
   * Applies the event stored at stream sequence `seq` (undefined: it could
   * not be decoded, so only the position moves). A sequence at or below the
   * position is a redelivery and is skipped: "redelivered".
   */
  apply(seq: number, event: KvEvent | undefined): ApplyResult | "redelivered" {
    if (!this.gate.open) throw new Error("IndexedStream.apply while a snapshot is being written");
    const at = BigInt(seq);
    if (at <= this.position) return "redelivered";
    this.position = at;
    this.changeCount++;
    return event === undefined ? { applied: false } : this.index.apply(event);
  }

  /**
   * Forgets an instance: now, or once the snapshot being written is done.
   * `onDropped` hears how many blocks it held, if the index tracked it.
   */
  drop(instanceId: string, onDropped: (blocks: number) => void = () => undefined): void {
    this.gate.whenOpen(() => {
      if (this.index.lastSequence(instanceId) === undefined) return;
      this.changeCount++;
      onDropped(this.index.dropInstance(instanceId));
    });
  }

  /**
   * The index encoded as a KvIndexSnapshot at the current position. The
   * index is frozen meanwhile but keeps answering matches: the encoding
   * yields to the event loop between parts.
   */
  snapshot(now: () => number = Date.now): Promise<EncodedSnapshot> {
    return this.gate.closeDuring(async () => {
      const takenAtMs = now();
      const streamSequence = this.position;
      const parts: Uint8Array[] = [];
      for (const part of this.index.toSnapshotParts({ streamSequence, takenAtMs: BigInt(takenAtMs) }, BLOCKS_PER_PART)) {
        parts.push(part);
        await yieldToEventLoop();
      }
      return { bytes: Buffer.concat(parts), streamSequence, takenAtMs };
    });
  }
}
