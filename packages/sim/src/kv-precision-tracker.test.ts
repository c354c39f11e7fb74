import { describe, expect, it } from "vitest";
import { BlockPool } from "./block-pool.js";
import { KvBlockLayout } from "./kv-block-layout.js";
import { KvEventEmitter } from "./kv-events.js";
import { kvBytesPerToken } from "./kv-memory.js";
import { KvPrecisionTracker } from "./kv-precision-tracker.js";
import { LLAMA_3_1_8B } from "./models.js";
import { SimRequest } from "./sim-request.js";

function setup(anchorBlocks: number) {
  const layout = new KvBlockLayout({
    model: LLAMA_3_1_8B,
    blockSize: 16,
    precision: "fp8-anchored",
    anchorBlocks,
    numBlocks: 100,
    fullBytesPerToken: kvBytesPerToken(LLAMA_3_1_8B),
  });
  const pool = new BlockPool(100, 16, new KvEventEmitter("t", undefined), layout.poolSizes);
  return { pool, tracker: new KvPrecisionTracker(layout, pool) };
}

/** What the scheduler and the core do for a step of n tokens: allocate, compute, seal. */
function runStep(pool: BlockPool, tracker: KvPrecisionTracker, r: SimRequest, n: number): void {
  const needed = Math.ceil((r.computed + n) / 16) - r.blocks.length;
  for (let k = 0; k < needed; k++) r.blocks.push(pool.allocate());
  const before = r.computed;
  r.computed += n;
  tracker.sealWritten(r, before);
}

describe("KvPrecisionTracker", () => {
  it("seals each block once it is full, anchors and evidence full, and counts the quantised tokens a step reads", () => {
    const { pool, tracker } = setup(2);
    const r = new SimRequest({ id: "a", promptTokens: 200, outputTokens: 10, evidence: [{ start: 96, end: 112 }] }, 16);
    runStep(pool, tracker, r, 100); // blocks 0..5 full; 6 is partial
    expect(r.blocks.slice(0, 7).map((b) => pool.isQuantised(b))).toEqual([false, false, true, true, true, true, false]);
    expect(tracker.quantisedTokensRead([r])).toBe(4 * 16);
    runStep(pool, tracker, r, 100); // blocks 6..11 full, block 6 is evidence (tokens 96..111)
    expect(pool.isQuantised(r.blocks[6]!)).toBe(false);
    expect(tracker.quantisedTokensRead([r])).toBe(9 * 16);
  });

  it("counts again from the start after the request's blocks were freed and it was admitted anew", () => {
    const { pool, tracker } = setup(1);
    const r = new SimRequest({ id: "a", promptTokens: 160, outputTokens: 10 }, 16);
    runStep(pool, tracker, r, 160);
    expect(tracker.quantisedTokensRead([r])).toBe(9 * 16);
    // Preempted: the scheduler frees its blocks and gives it a new, empty list.
    pool.freeAll(r.blocks);
    r.blocks = [];
    r.computed = 0;
    r.preemptions++;
    expect(tracker.quantisedTokensRead([r])).toBe(0);
    runStep(pool, tracker, r, 64);
    expect(tracker.quantisedTokensRead([r])).toBe(3 * 16);
  });
});
