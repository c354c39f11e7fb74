import { describe, expect, it } from "vitest";
import { KvBlockLayout, evidenceBlockRanges } from "./kv-block-layout.js";
import { type KvPrecision, kvBytesPerToken, quantisedKvBlockBytes } from "./kv-memory.js";
import { LLAMA_3_1_8B, LLAMA_3_1_70B } from "./models.js";

const FULL_TOKEN = kvBytesPerToken(LLAMA_3_1_8B); // 128 KiB
const FULL_BLOCK = 16 * FULL_TOKEN; // 2 MiB

function layout(precision: KvPrecision, anchorBlocks = 4, numBlocks = 1000): KvBlockLayout {
  return new KvBlockLayout({ model: LLAMA_3_1_8B, blockSize: 16, precision, anchorBlocks, numBlocks, fullBytesPerToken: FULL_TOKEN });
}

describe("quantised KV block sizes", () => {
  it("fp8 halves a block exactly (per-layer scales only); int8 adds a 16-bit scale and zero point per token, head and layer", () => {
    expect(quantisedKvBlockBytes(LLAMA_3_1_8B, 16, "fp8-anchored")).toBe(FULL_BLOCK / 2);
    // 16 tokens × 2 (K, V) × 32 layers × 8 KV heads × 4 bytes = 32 KiB on top of 1 MiB.
    expect(quantisedKvBlockBytes(LLAMA_3_1_8B, 16, "int8-anchored")).toBe(FULL_BLOCK / 2 + 32 * 1024);
    expect(quantisedKvBlockBytes(LLAMA_3_1_70B, 16, "int8-anchored") / (16 * kvBytesPerToken(LLAMA_3_1_70B))).toBeCloseTo(0.515625, 9);
  });

  it("fp16 keeps one size and no pool sizes, so the pool counts blocks as before", () => {
    const l = layout("fp16");
    expect(l.quantises).toBe(false);
    expect(l.quantisedBlockBytes).toBe(l.fullBlockBytes);
    expect(l.poolSizes).toBeUndefined();
    expect(l.capacityTokens()).toBe(16_000);
    expect(l.capacityTokens(12_000)).toBe(16_000);
    expect(l.capacityTokens(12_345)).toBe(16_000);
  });
});

describe("which blocks stay full precision", () => {
  it("anchors: the first anchorBlocks of every sequence", () => {
    const l = layout("fp8-anchored", 2);
    expect([0, 1, 2, 3].map((i) => l.isFullPrecision(i))).toEqual([true, true, false, false]);
    expect(layout("fp8-anchored", 0).isFullPrecision(0)).toBe(false);
    expect(layout("fp16", 0).isFullPrecision(7)).toBe(true);
  });

  it("evidence: every block a marked token range touches", () => {
    const l = layout("int8-anchored", 1);
    // Tokens [40, 70) touch blocks 2, 3 and 4; tokens [160, 161) touch block 10.
    const evidence = evidenceBlockRanges([{ start: 40, end: 70 }, { start: 160, end: 161 }], 200, 16, "r")!;
    expect(evidence).toEqual([2, 5, 10, 11]);
    const full = Array.from({ length: 13 }, (_, i) => i).filter((i) => l.isFullPrecision(i, evidence));
    expect(full).toEqual([0, 2, 3, 4, 10]);
  });

  it("refuses evidence outside the prompt or empty, with the request named", () => {
    expect(evidenceBlockRanges(undefined, 100, 16, "r")).toBeUndefined();
    expect(evidenceBlockRanges([], 100, 16, "r")).toBeUndefined();
    expect(() => evidenceBlockRanges([{ start: 90, end: 101 }], 100, 16, "q7")).toThrow(/request q7: evidence range \[90, 101\)/);
    expect(() => evidenceBlockRanges([{ start: 5, end: 5 }], 100, 16, "r")).toThrow(RangeError);
    expect(() => evidenceBlockRanges([{ start: 1.5, end: 5 }], 100, 16, "r")).toThrow(RangeError);
  });
});

describe("capacity of an anchored pool", () => {
  it("a sequence holds its anchors and partial last block at full size, the rest quantised", () => {
    const l = layout("fp8-anchored", 4);
    // 100 full blocks + 8 tokens: 4 anchors at 2 MiB, 96 at 1 MiB, 8 tokens at 128 KiB.
    expect(l.sequenceBytes(1608)).toBe(4 * FULL_BLOCK + 96 * (FULL_BLOCK / 2) + 8 * FULL_TOKEN);
    // Shorter than the anchors: nothing is quantised.
    expect(l.sequenceBytes(64)).toBe(4 * FULL_BLOCK);
  });

  it("gains close to 2× for long sequences, less for short ones, nothing below the anchors", () => {
    const fp16 = layout("fp16").capacityTokens(12_000);
    const fp8 = layout("fp8-anchored");
    const int8 = layout("int8-anchored");
    expect(fp8.capacityTokens(12_000) / fp16).toBeGreaterThan(1.98);
    expect(fp8.capacityTokens(12_000) / fp16).toBeLessThan(2);
    expect(int8.capacityTokens(12_000) / fp16).toBeGreaterThan(1.92);
    expect(int8.capacityTokens(12_000) / fp16).toBeLessThan(fp8.capacityTokens(12_000) / fp16);
    expect(fp8.capacityTokens(256) / fp16).toBeCloseTo(1 / (4 / 16 + 12 / 32), 2); // 1.6×
    expect(fp8.capacityTokens(64)).toBe(fp16);
    // The upper bound: every block quantised.
    expect(fp8.capacityTokens()).toBe(32_000);
  });
});
