import { describe, expect, it } from "vitest";
import { generationCostUsd } from "./cost.js";
import { approximateTokenizer } from "./prompt-tokenizer.js";

describe("generationCostUsd", () => {
  it("charges prompt and completion tokens at their per-million prices", () => {
    expect(generationCostUsd({ inputPerMTok: 3, outputPerMTok: 15 }, 1_000_000, 0)).toBe(3);
    expect(generationCostUsd({ inputPerMTok: 3, outputPerMTok: 15 }, 0, 2_000)).toBeCloseTo(0.03, 12);
    expect(generationCostUsd({ inputPerMTok: 0.5, outputPerMTok: 1.5 }, 400, 100)).toBeCloseTo(0.00035, 12);
  });
});

describe("approximateTokenizer", () => {
  it("counts words and punctuation, the same on every call", () => {
    expect(approximateTokenizer.measure("Hello, world!")).toEqual({ tokens: 4, blockHashes: [] });
    expect(approximateTokenizer.measure("Hello, world!").tokens).toBe(4);
    expect(approximateTokenizer.measure("").tokens).toBe(0);
  });
  it("flattens chat turns one per line", () => {
    const text = approximateTokenizer.flatten([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ] as never);
    expect(text).toBe("system: Be brief.\nuser: Hi");
  });
});
