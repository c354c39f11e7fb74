import { describe, expect, it } from "vitest";
import { requestLengthCost } from "./request-length-cost.js";

const W = { attentionTokens: 1000, decodeTokenWeight: 3, kvReadTokens: 100 };

describe("requestLengthCost", () => {
  it("adds prefill with attention growing with the prompt and decode with KV reads growing with context", () => {
    expect(requestLengthCost(1000, 0, W)).toBe(1000 * 1.5);
    expect(requestLengthCost(0, 100, W)).toBe(100 * (3 + 50 / 100));
    expect(requestLengthCost(200, 100, W)).toBe(200 * 1.1 + 100 * (3 + 250 / 100));
  });

  it("grows faster than linearly: one long request outweighs the same tokens in short ones", () => {
    const w = { attentionTokens: 32768, decodeTokenWeight: 3, kvReadTokens: 700 };
    expect(requestLengthCost(8000, 800, w)).toBeGreaterThan(8 * requestLengthCost(1000, 100, w));
  });
});
