import { describe, expect, it } from "vitest";
import { shrunkProportion, wilsonInterval } from "./wilson.js";

describe("wilsonInterval", () => {
  it("matches the textbook 95% interval", () => {
    // 8 of 10: Wilson 95% ≈ [0.490, 0.943].
    const w = wilsonInterval(8, 10);
    expect(w.p).toBe(0.8);
    expect(w.lo).toBeCloseTo(0.49, 2);
    expect(w.hi).toBeCloseTo(0.943, 2);
  });

  it("stays inside [0, 1] at the edges and narrows with n", () => {
    expect(wilsonInterval(0, 5).lo).toBe(0);
    expect(wilsonInterval(5, 5).hi).toBe(1);
    expect(wilsonInterval(5, 5).lo).toBeGreaterThan(0.5);
    const small = wilsonInterval(7, 10);
    const big = wilsonInterval(700, 1000);
    expect(big.hi - big.lo).toBeLessThan((small.hi - small.lo) / 5);
    expect(wilsonInterval(0, 0)).toEqual({ p: 0, lo: 0, hi: 1 });
  });

  it("rejects impossible counts", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/0 ≤ successes ≤ n/);
  });

  it("shrinks small clusters towards the prior", () => {
    expect(shrunkProportion(3, 3, 0.5, 10)).toBeCloseTo(8 / 13);
    expect(shrunkProportion(300, 300, 0.5, 10)).toBeGreaterThan(0.98);
  });
});
