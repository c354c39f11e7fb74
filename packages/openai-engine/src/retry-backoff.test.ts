import { describe, expect, it } from "vitest";
import { backoffMs } from "./retry-backoff.js";

describe("backoffMs", () => {
  const policy = { baseMs: 100, maxMs: 1000 };
  it("doubles per retry within [half, full] of the step, capped", () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffMs(policy, r, undefined, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((r) => backoffMs(policy, r, undefined, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
  it("honours Retry-After up to the cap", () => {
    expect(backoffMs(policy, 1, 700, () => 0)).toBe(700);
    expect(backoffMs(policy, 1, 60_000, () => 0)).toBe(1000);
    expect(backoffMs(policy, 3, 0, () => 1)).toBe(400);
  });
});
