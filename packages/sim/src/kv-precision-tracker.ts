// The engine core's side of a quantised KV cache (kvPrecision other than
// "fp16"): it seals each block once its request has written it, fixing the
// block's precision, and tells the step-time model how many of the tokens a
// step reads sit in quantised blocks. At fp16 the core has no tracker and
// nothing here runs.

import type { BlockPool } from "./block-pool.js";
import type { KvBlockLayout } from "./kv-block-layout.js";
import type { SimRequest } from "./sim-request.js";

/** How many of a request's leading blocks are quantised, counted once per block. */
export class QuantisedBlockCount {
  /**
   * The blocks array counted: the scheduler gives a request a new one when
   * it admits it and when it frees its blocks, so a different array (or a
   * preemption since) means counting again from the start.
   */
  blocks: readonly number[] = [];
  preemptions = -1;
  /** Leading blocks already looked at. */
  counted = 0;
  /** Of those, the quantised ones. */
  quantised = 0;
}

export class KvPrecisionTracker {
  readonly #layout: KvBlockLayout;
  readonly #pool: BlockPool;
  readonly #blockSize: number;

  constructor(layout: KvBlockLayout, pool: BlockPool) {
    this.#layout = layout;
    this.#pool = pool;
    this.#blockSize = layout.blockSize;
  }

  /**
   * Seals the blocks `r` filled in the step that took it from
   * `computedBefore` to r.computed tokens: anchors and evidence at full
   * precision, the rest quantised. Blocks before `computedBefore` are sealed
   * already (written earlier, or found in the prefix cache).
   */
  sealWritten(r: SimRequest, computedBefore: number): void {
    const bs = this.#blockSize;
    const end = Math.floor(r.computed / bs);
    for (let i = Math.floor(computedBefore / bs); i < end; i++) {
      this.#pool.seal(r.blocks[i]!, !this.#layout.isFullPrecision(i, r.evidenceBlocks));
    }
  }

  /** Tokens in quantised blocks among the KV that the step's sequences read. */
  quantisedTokensRead(batch: readonly SimRequest[]): number {
    let blocks = 0;
    for (let i = 0; i < batch.length; i++) blocks += this.#quantisedBlocks(batch[i]!);
    return blocks * this.#blockSize;
  }

  /** Quantised blocks among r's written ones, counting only blocks not seen before. */
  #quantisedBlocks(r: SimRequest): number {
    let c = r.quantisedKv;
    if (c === undefined) c = r.quantisedKv = new QuantisedBlockCount();
    if (c.blocks !== r.blocks || c.preemptions !== r.preemptions) {
      c.blocks = r.blocks;
      c.preemptions = r.preemptions;
      c.counted = 0;
      c.quantised = 0;
    }
    const written = Math.min(Math.floor(r.computed / this.#blockSize), r.blocks.length);
    for (let i = c.counted; i < written; i++) if (this.#pool.isQuantised(r.blocks[i]!)) c.quantised++;
    if (written > c.counted) c.counted = written;
    return c.quantised;
  }
}
