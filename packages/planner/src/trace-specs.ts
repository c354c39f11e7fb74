// A trace's requests as the simulator's request specs — the same mapping as
// `weir sim-bench` (packages/cli/src/sim-bench/trace-specs.ts), copied because
// a library must not import the CLI. Mooncake hash ids become the engine's
// chained 16-token block hashes (equal ids = a shared, reusable prefix);
// Azure requests, which have lengths only, get ids of their own: nothing is
// reused, yet their blocks are cached and evicted like any other.

import { MOONCAKE_BLOCK_TOKENS, type TraceRequest } from "@weir/datasets";
import { type SimRequestSpec, hashIdsToBlockHashes } from "@weir/sim";

/** One request, ready to submit at its arrival (ms of virtual time). */
export interface TimedSpec {
  spec: SimRequestSpec;
  arrivalMs: number;
}

/** Specs in the trace's order; hashes are computed on arrival. Lengths of 0 become 1. */
export function traceSpecs(trace: readonly TraceRequest[], blockSize: number): TimedSpec[] {
  let nextUniqueId = 1;
  for (const r of trace) for (const id of r.hashIds ?? []) if (id >= nextUniqueId) nextUniqueId = id + 1;
  return trace.map((r, i) => {
    const promptTokens = Math.max(1, r.inputTokens);
    let hashIds = r.hashIds;
    if (hashIds === undefined || hashIds.length === 0) {
      const count = Math.ceil(promptTokens / MOONCAKE_BLOCK_TOKENS);
      hashIds = Array.from({ length: count }, (_, k) => nextUniqueId + k);
      nextUniqueId += count;
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
