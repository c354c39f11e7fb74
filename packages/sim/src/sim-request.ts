// One request as the engine core sees it: counts, not text. Text, if any,
// lives in SimEngine; virtual-time traces never need it.

import { BLOCK_HASH_SEED, blockHashes, nextBlockHash } from "@weir/tokens";
import { type TokenRange, evidenceBlockRanges } from "./kv-block-layout.js";
import type { QuantisedBlockCount } from "./kv-precision-tracker.js";

export type RequestPhase = "waiting" | "running" | "finished" | "aborted";

/** What a caller submits to the engine core (SimEngine builds one from a GenerateTokensRequest). */
export interface SimRequestSpec {
  /** Unique among requests in flight. */
  id: string;
  /** Prompt length in tokens (≥ 1). */
  promptTokens: number;
  /** Tokens to generate (≥ 1): the output length is known in advance, the engine only times it. */
  outputTokens: number;
  /**
   * Chained hashes of the prompt's full blocks at the engine's block size
   * (as `blockHashes` of @weir/tokens computes them), or a function that
   * returns them when the request arrives (keeps memory flat for long traces).
   * Without hashes or token ids the prompt shares no prefix with anything.
   */
  blockHashes?: readonly bigint[] | (() => readonly bigint[]);
  /** Prompt token ids; hashed here when blockHashes is absent. */
  promptTokenIds?: ArrayLike<number>;
  /** Output token ids: with promptTokenIds, the blocks written while decoding are cached too. */
  outputTokenIds?: ArrayLike<number>;
  /**
   * Prompt token ranges [start, end) that must stay full precision on an
   * instance with a quantised KV cache (kvPrecision "fp8-anchored" or
   * "int8-anchored"), e.g. a retrieved document the answer must quote
   * exactly: every block they touch is written at 16 bits. A block already in
   * the prefix cache keeps the precision it was written with.
   */
  evidence?: readonly TokenRange[];
}

/** Mutable state of a request inside one engine core. Fields are public for the core's hot loop. */
export class SimRequest {
  readonly id: string;
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** Chain of block hashes known so far: the prompt's, then decode blocks as they fill (when ids are known). */
  hashes: bigint[];
  readonly #promptIds: ArrayLike<number> | undefined;
  readonly #outputIds: ArrayLike<number> | undefined;
  /** Caller's handle (e.g. the instance index or a stream). */
  tag: unknown;
  /** The evidence ranges as [start, end) block pairs, flattened; undefined when none. */
  readonly evidenceBlocks: readonly number[] | undefined;
  /** The engine's count of this request's quantised blocks (kv-precision-tracker.ts); unused at fp16. */
  quantisedKv: QuantisedBlockCount | undefined = undefined;

  phase: RequestPhase = "waiting";
  /** KV blocks held, in token order. */
  blocks: number[] = [];
  /** Leading blocks already registered in the prefix cache (or found there). */
  hashedBlocks = 0;
  /** Tokens whose KV is computed. */
  computed = 0;
  /** Output tokens produced. */
  generated = 0;
  /** Tokens scheduled in the step in flight (0 when not in it). */
  scheduled = 0;
  preemptions = 0;
  /** Prompt tokens served from the prefix cache at first admission; -1 before it. */
  cachedPromptTokens = -1;

  arrivalMs = 0;
  firstScheduledMs = -1;
  firstTokenMs = -1;
  lastTokenMs = -1;
  finishMs = -1;

  constructor(spec: SimRequestSpec, blockSize: number) {
    if (!Number.isInteger(spec.promptTokens) || spec.promptTokens < 1) {
      throw new RangeError(`request ${spec.id}: promptTokens must be a positive integer, got ${spec.promptTokens}`);
    }
    if (!Number.isInteger(spec.outputTokens) || spec.outputTokens < 1) {
      throw new RangeError(`request ${spec.id}: outputTokens must be a positive integer, got ${spec.outputTokens}`);
    }
    this.id = spec.id;
    this.promptTokens = spec.promptTokens;
    this.outputTokens = spec.outputTokens;
    this.#promptIds = spec.promptTokenIds;
    this.#outputIds = spec.promptTokenIds === undefined ? undefined : spec.outputTokenIds;
    this.hashes = promptBlockHashes(spec, blockSize).slice();
    this.evidenceBlocks = evidenceBlockRanges(spec.evidence, spec.promptTokens, blockSize, spec.id);
  }

  /** Tokens known so far (prompt + generated): what must be computed before the next token. */
  get knownTokens(): number {
    return this.promptTokens + this.generated;
  }

  /**
   * The hash of block `index`, extending the chain from the output token ids
   * when the block is past the prompt; undefined when it cannot be known.
   */
  hashAt(index: number, blockSize: number): bigint | undefined {
    if (index < this.hashes.length) return this.hashes[index];
    const promptIds = this.#promptIds;
    const outputIds = this.#outputIds;
    if (index !== this.hashes.length || promptIds === undefined || outputIds === undefined) return undefined;
    if (this.hashes.length < Math.floor(this.promptTokens / blockSize)) return undefined; // truncated chain
    const start = index * blockSize;
    if (start + blockSize > this.promptTokens + Math.min(this.generated, outputIds.length)) return undefined;
    const ids = new Array<number>(blockSize);
    for (let i = 0; i < blockSize; i++) {
      const t = start + i;
      ids[i] = t < this.promptTokens ? (promptIds[t] ?? 0) : (outputIds[t - this.promptTokens] ?? 0);
    }
    const parent = index === 0 ? BLOCK_HASH_SEED : (this.hashes[index - 1] as bigint);
    const hash = nextBlockHash(parent, ids);
    this.hashes.push(hash);
    return hash;
  }

  /** Lets go of what a finished request no longer needs (long traces hold many). */
  releaseHashes(): void {
    this.hashes = [];
  }
}

/**
 * The chained hashes of a request's full prompt blocks: the given ones (at
 * most promptTokens / blockSize of them), else computed from the token ids,
 * else none.
 */
export function promptBlockHashes(spec: SimRequestSpec, blockSize: number): readonly bigint[] {
  const given = typeof spec.blockHashes === "function" ? spec.blockHashes() : spec.blockHashes;
  const maxPromptBlocks = Math.floor(spec.promptTokens / blockSize);
  if (given !== undefined) return given.length > maxPromptBlocks ? given.slice(0, maxPromptBlocks) : given;
  if (spec.promptTokenIds !== undefined) return blockHashes(spec.promptTokenIds, blockSize).slice(0, maxPromptBlocks);
  return [];
}
