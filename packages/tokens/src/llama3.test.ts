import { describe, expect, it } from "vitest";
// Importing the package entry must not load the vocabulary.
import { preloadTokenizer, tokenize } from "./index.js";
import { isLlama3Loaded, llama3 } from "./llama3.js";

describe("llama3 (lazy loading)", () => {
  it("loads the vocabulary on first use, once", () => {
    expect(isLlama3Loaded()).toBe(false);
    expect(tokenize("Hello world!")).toEqual([9906, 1917, 0]);
    expect(isLlama3Loaded()).toBe(true);
    const loaded = llama3();
    preloadTokenizer();
    expect(llama3()).toBe(loaded);
    expect(loaded.vocabById).toHaveLength(128_256);
  });
});
