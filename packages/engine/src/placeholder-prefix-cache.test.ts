import { describe, expect, it } from "vitest";
import { PlaceholderPrefixCache } from "./placeholder-prefix-cache.js";

describe("PlaceholderPrefixCache (placeholder)", () => {
  it("counts only leading cached blocks and stores each new run with its parent", () => {
    const cache = new PlaceholderPrefixCache(10);
    expect(cache.admit([1n, 2n])).toEqual({
      cachedBlocks: 0,
      removed: [],
      stored: [{ hashes: [1n, 2n], parent: undefined }],
    });
    // Block 3 is new, block 4 too; 2 was cached but 9 was not, so 2 is not a leading hit.
    expect(cache.admit([9n, 2n, 3n, 4n])).toEqual({
      cachedBlocks: 0,
      removed: [],
      stored: [
        { hashes: [9n], parent: undefined },
        { hashes: [3n, 4n], parent: 2n },
      ],
    });
    expect(cache.admit([1n, 2n, 5n]).cachedBlocks).toBe(2);
  });

  it("evicts least recently used blocks, a prefix's tail before its head", () => {
    const cache = new PlaceholderPrefixCache(4);
    cache.admit([1n, 2n, 3n]);
    expect(cache.admit([7n, 8n]).removed).toEqual([3n]);
    expect(cache.admit([1n, 2n, 3n]).removed).toEqual([8n]);
    expect(cache.size).toBe(4);
  });

  it("caches no more of one prompt than its capacity", () => {
    const cache = new PlaceholderPrefixCache(2);
    const a = cache.admit([1n, 2n, 3n]);
    expect(a.stored).toEqual([{ hashes: [1n, 2n], parent: undefined }]);
    expect(cache.admit([1n, 2n, 3n]).cachedBlocks).toBe(2);
  });
});
