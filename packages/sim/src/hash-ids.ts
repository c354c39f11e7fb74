// Trace replay without text: Mooncake's traces give each request a list of
// `hash_ids`, one per 512-token block of the prompt, where equal ids at the
// same position mean an equal prefix. The engine caches 16-token blocks, so
// each trace block becomes tokensPerHashId / blockSize engine blocks whose
// chained hashes derive from the trace id and the position inside it: equal
// trace prefixes give equal engine hashes, different ones never collide by
// construction of the chain.

import { BLOCK_HASH_SEED, nextBlockHash } from "@weir/tokens";

export interface HashIdOptions {
  /** Prompt length in tokens: only full engine blocks get a hash. */
  promptTokens: number;
  /** Tokens each trace id covers. Default 512 (Mooncake). */
  tokensPerHashId?: number;
  /** The engine's block size. Default 16. */
  blockSize?: number;
}

const words = new Uint32Array(3);

/** Chained engine block hashes for a prompt described by trace hash ids. */
export function hashIdsToBlockHashes(hashIds: readonly number[], options: HashIdOptions): bigint[] {
  const tokensPerHashId = options.tokensPerHashId ?? 512;
  const blockSize = options.blockSize ?? 16;
  if (tokensPerHashId % blockSize !== 0) {
    throw new RangeError(`tokensPerHashId (${tokensPerHashId}) must be a multiple of blockSize (${blockSize})`);
  }
  const perId = tokensPerHashId / blockSize;
  const blocks = Math.min(Math.floor(options.promptTokens / blockSize), hashIds.length * perId);
  const out = new Array<bigint>(blocks);
  let parent = BLOCK_HASH_SEED;
  for (let b = 0; b < blocks; b++) {
    const id = hashIds[Math.floor(b / perId)] ?? 0;
    words[0] = id >>> 0;
    words[1] = Math.floor(id / 4294967296) >>> 0;
    words[2] = b % perId;
    parent = nextBlockHash(parent, words);
    out[b] = parent;
  }
  return out;
}
