// KV events in the weir.v1.KvEvent init shape, numbered per instance from 1
// without gaps, as the kv-cache-manager's index requires. Nothing is built
// while nobody listens, so virtual-time runs of long traces pay nothing.

import type { KvEventInit } from "@weir/engine";

export type KvEventListener = (e: KvEventInit) => void;

export class KvEventEmitter {
  readonly #listeners = new Set<KvEventListener>();
  readonly #tier: string;
  readonly #instanceId: string | undefined;
  #sequence = 0n;

  constructor(tier: string, instanceId: string | undefined) {
    this.#tier = tier;
    this.#instanceId = instanceId;
  }

  /** Whether anyone listens: callers skip collecting hashes when not. */
  get enabled(): boolean {
    return this.#listeners.size > 0;
  }

  /** The last sequence number handed out (0 before the first event). */
  get sequence(): bigint {
    return this.#sequence;
  }

  /**
   * Adds a listener; returns a function that removes it. Attach before the
   * first request to see every sequence number. A listener that throws is
   * ignored, so a failing publisher cannot break the engine.
   */
  subscribe(fn: KvEventListener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  stored(blockHashes: bigint[], parent: bigint | undefined, blockSize: number, nowMs: number): void {
    this.#emit(nowMs, {
      case: "stored",
      value: { blockHashes, blockSize, ...(parent === undefined ? {} : { parentBlockHash: parent }) },
    });
  }

  removed(blockHashes: bigint[], nowMs: number): void {
    this.#emit(nowMs, { case: "removed", value: { blockHashes } });
  }

  cleared(nowMs: number): void {
    this.#emit(nowMs, { case: "cleared", value: {} });
  }

  #emit(nowMs: number, event: NonNullable<KvEventInit["event"]>): void {
    if (this.#listeners.size === 0) return;
    this.#sequence++;
    const e: KvEventInit = {
      tier: this.#tier,
      sequence: this.#sequence,
      timestampMs: BigInt(Math.floor(nowMs)),
      event,
      ...(this.#instanceId === undefined ? {} : { instanceId: this.#instanceId }),
    };
    for (const fn of this.#listeners) {
      try {
        fn(e);
      } catch {
        // Deliberately ignored: see subscribe.
      }
    }
  }
}
