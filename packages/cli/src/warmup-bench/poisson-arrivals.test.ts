import { describe, expect, it } from "vitest";
import { poissonArrivals } from "./poisson-arrivals.js";

describe("poissonArrivals", () => {
  it("is increasing, seeded, and near the asked rate over many arrivals", () => {
    const a = poissonArrivals(4000, 5, 1);
    expect(a).toEqual(poissonArrivals(4000, 5, 1));
    expect(a).not.toEqual(poissonArrivals(4000, 5, 2));
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    const rate = a.length / (a[a.length - 1]! / 1000);
    expect(rate).toBeGreaterThan(4.6);
    expect(rate).toBeLessThan(5.4);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => poissonArrivals(3, 0, 1)).toThrow(RangeError);
    expect(poissonArrivals(0, 1, 1)).toEqual([]);
  });
});
