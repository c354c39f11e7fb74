// Which KV blocks of a sequence an instance stores at which precision, and
// what that does to its capacity. With kvPrecision "fp16" every block is
// full size; in an anchored mode the first `anchorBlocks` blocks of every
// sequence and the blocks a request marks as evidence stay full precision
// and every other block is quantised to 8 bits once written. A block's
// precision is fixed when it is written: a quantised block found in the
// prefix cache by a later request is reused quantised, even where that
// request marks evidence (see SimRequestSpec.evidence).
//
// Only capacity and bandwidth are modelled. What quantisation does to
// answers is not: the SERR-CASCADE claim is that full-precision anchors and
// evidence keep quality; the simulator takes that on trust.

import type { BlockPoolSizes } from "./block-pool.js";
import { type KvPrecision, quantisedKvBlockBytes } from "./kv-memory.js";
import type { ModelSpec } from "./models.js";

/** A range of prompt tokens, [start, end). */
export interface TokenRange {
  start: number;
  end: number;
}

export interface KvBlockLayoutInput {
  model: ModelSpec;
  blockSize: number;
  precision: KvPrecision;
  anchorBlocks: number;
  /** The pool's capacity in full-precision blocks. */
  numBlocks: number;
  /** Bytes per token at full precision (the cache dtype's). */
  fullBytesPerToken: number;
}

export class KvBlockLayout {
  readonly precision: KvPrecision;
  readonly anchorBlocks: number;
  readonly blockSize: number;
  readonly fullBlockBytes: number;
  /** Bytes of a quantised block, scales included; fullBlockBytes at fp16. */
  readonly quantisedBlockBytes: number;
  readonly capacityBytes: number;

  constructor(input: KvBlockLayoutInput) {
    this.precision = input.precision;
    this.anchorBlocks = input.anchorBlocks;
    this.blockSize = input.blockSize;
    this.fullBlockBytes = input.blockSize * input.fullBytesPerToken;
    this.quantisedBlockBytes =
      input.precision === "fp16" ? this.fullBlockBytes : quantisedKvBlockBytes(input.model, input.blockSize, input.precision);
    this.capacityBytes = input.numBlocks * this.fullBlockBytes;
  }

  /** Whether blocks are ever quantised (an anchored mode). */
  get quantises(): boolean {
    return this.precision !== "fp16";
  }

  /** The block pool's sizes; undefined at fp16, where the pool counts blocks as it always did. */
  get poolSizes(): BlockPoolSizes | undefined {
    return this.quantises ? { fullBlockBytes: this.fullBlockBytes, quantisedBlockBytes: this.quantisedBlockBytes } : undefined;
  }

  /** Bytes per token of a quantised block (the KV read cost of its tokens). */
  get quantisedBytesPerToken(): number {
    return this.quantisedBlockBytes / this.blockSize;
  }

  /**
   * Whether block `index` of a sequence is written at full precision: always
   * at fp16; else an anchor, or a block touching one of the request's
   * evidence ranges (`evidenceBlocks`: [start, end) block pairs, flattened).
   */
  isFullPrecision(index: number, evidenceBlocks?: readonly number[]): boolean {
    if (!this.quantises || index < this.anchorBlocks) return true;
    if (evidenceBlocks === undefined) return false;
    for (let i = 0; i < evidenceBlocks.length; i += 2) {
      if (index >= evidenceBlocks[i]! && index < evidenceBlocks[i + 1]!) return true;
    }
    return false;
  }

  /**
   * Bytes per sequence of `tokens` tokens once written, as capacity figures
   * count them: its anchors at full size, its other full blocks quantised,
   * the tokens of a partial last block at full size pro rata (like vLLM's
   * token capacity, it ignores the unfilled rest of that block).
   */
  sequenceBytes(tokens: number): number {
    const fullBlocks = Math.floor(tokens / this.blockSize);
    const partialTokens = tokens - fullBlocks * this.blockSize;
    const anchors = Math.min(fullBlocks, this.anchorBlocks);
    const quantised = this.quantises ? fullBlocks - anchors : 0;
    return (
      (fullBlocks - quantised) * this.fullBlockBytes +
      quantised * this.quantisedBlockBytes +
      (partialTokens / this.blockSize) * this.fullBlockBytes
    );
  }

  /**
   * Tokens of KV the pool holds when it is filled with sequences of
   * `sequenceTokens` tokens each (no evidence): the capacity a workload of
   * that length sees; at fp16 always numBlocks × blockSize. Without a
   * length, the upper bound: every block quantised.
   */
  capacityTokens(sequenceTokens?: number): number {
    const fp16Tokens = (this.capacityBytes / this.fullBlockBytes) * this.blockSize;
    if (!this.quantises) return fp16Tokens;
    if (sequenceTokens === undefined) return Math.floor(this.capacityBytes / this.quantisedBlockBytes) * this.blockSize;
    if (!(sequenceTokens >= 1)) throw new RangeError(`sequenceTokens must be ≥ 1, got ${sequenceTokens}`);
    return Math.floor((this.capacityBytes / this.sequenceBytes(sequenceTokens)) * sequenceTokens);
  }
}

/**
 * A request's evidence token ranges as [start, end) pairs of the blocks they
 * touch (flattened), checked against its prompt; undefined when there are none.
 */
export function evidenceBlockRanges(
  ranges: readonly TokenRange[] | undefined,
  promptTokens: number,
  blockSize: number,
  requestId: string,
): number[] | undefined {
  if (ranges === undefined || ranges.length === 0) return undefined;
  const blocks: number[] = [];
  for (const { start, end } of ranges) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= promptTokens)) {
      throw new RangeError(
        `request ${requestId}: evidence range [${start}, ${end}) must be whole token offsets with 0 ≤ start < end ≤ ${promptTokens} (the prompt's length)`,
      );
    }
    blocks.push(Math.floor(start / blockSize), Math.ceil(end / blockSize));
  }
  return blocks;
}
