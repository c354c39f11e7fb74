// A trace's requests as the simulator's request specs (used by sim-bench,
// the planner and the other virtual-time benchmarks). Mooncake describes
// each prompt by hash ids (one per 512-token block; equal ids at the same
// position = a shared prefix), which become the engine's chained 16-token
// block hashes. Azure gives lengths only, so every request gets block hashes
// of its own: nothing is reused, yet its blocks are cached and evicted like
// any other, as a real server would do with unrelated prompts.

import { MOONCAKE_BLOCK_TOKENS, type TraceRequest } from "@weir/datasets";
import { hashIdsToBlockHashes } from "./hash-ids.js";
import type { SimRequestSpec } from "./sim-request.js";

/** One trace request, ready to submit, at its arrival time (ms of virtual time). */
export interface TimedSpec {
  spec: SimRequestSpec;
  arrivalMs: number;
}

/**
 * The specs of a trace, in arrival order. Hashes are computed when a request
 * arrives and dropped when it finishes (a function, not an array), so a long
 * trace costs little memory. Lengths of 0 become 1: the engine needs a token
 * to compute and one to emit.
 */
export function traceSpecs(trace: readonly TraceRequest[], blockSize: number): TimedSpec[] {
  // Ids made up for prompts without hash ids start past every id of the
  // trace, so they never equal a real one.
  let nextUniqueId = 1;
  for (const r of trace) for (const id of r.hashIds ?? []) if (id >= nextUniqueId) nextUniqueId = id + 1;

  return trace.map((r, i) => {
    const promptTokens = Math.max(1, r.inputTokens);
    let hashIds = r.hashIds;
    if (hashIds === undefined || hashIds.length === 0) {
      const first = nextUniqueId;
      const count = Math.ceil(promptTokens / MOONCAKE_BLOCK_TOKENS);
      nextUniqueId += count;
      hashIds = uniqueIds(first, count);
    }
    const ids = hashIds;
    return {
      arrivalMs: r.arrivalMs,
      spec: {
        id: `r${i}`,
        promptTokens,
        outputTokens: Math.max(1, r.outputTokens),
        blockHashes: () => hashIdsToBlockHashes(ids, { promptTokens, blockSize, tokensPerHashId: MOONCAKE_BLOCK_TOKENS }),
      },
    };
  });
}

function uniqueIds(first: number, count: number): number[] {
  const ids = new Array<number>(count);
  for (let k = 0; k < count; k++) ids[k] = first + k;
  return ids;
}
