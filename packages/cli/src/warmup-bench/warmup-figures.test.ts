import { describe, expect, it } from "vitest";
import { percentiles } from "./warmup-figures.js";

describe("percentiles", () => {
  it("takes the nearest-rank sample at floor(q × n), and the mean", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(xs)).toEqual({ n: 100, mean: 50.5, p50: 51, p90: 91, p99: 100 });
    expect(percentiles([7])).toEqual({ n: 1, mean: 7, p50: 7, p90: 7, p99: 7 });
    expect(percentiles([])).toEqual({ n: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
  });
});
