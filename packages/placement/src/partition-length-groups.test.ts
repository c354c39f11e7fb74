import { describe, expect, it } from "vitest";
import { partitionLengthGroups } from "./partition-length-groups.js";

describe("partitionLengthGroups", () => {
  it("balances per-instance load: a heavy range gets more instances", () => {
    // Bins: light, light, heavy. 2 groups on 4 instances: [0,1] gets 1, [2] gets 3.
    const p = partitionLengthGroups([10, 10, 60], 4, 2);
    expect(p.lastBin).toEqual([1, 2]);
    expect(p.instances).toEqual([1, 3]);
    expect(p.maxLoad).toBe(20);
  });

  it("never leaves a group without instances and covers every bin", () => {
    for (const [costs, n, k] of [
      [[1, 2, 3, 4, 5, 6, 7, 8], 8, 4],
      [[0, 0, 100, 0], 3, 3],
      [[5], 4, 4],
      [[1, 1, 1, 1, 1, 1], 2, 4],
    ] as const) {
      const p = partitionLengthGroups(costs, n, k);
      expect(p.instances.every((x) => x >= 1)).toBe(true);
      expect(p.instances.reduce((a, b) => a + b, 0)).toBe(n);
      expect(p.lastBin[p.lastBin.length - 1]).toBe(costs.length - 1);
      expect(p.lastBin.length).toBe(Math.min(k, n, costs.length));
      for (let g = 1; g < p.lastBin.length; g++) expect(p.lastBin[g]!).toBeGreaterThan(p.lastBin[g - 1]!);
    }
  });

  it("finds the optimum a brute force finds", () => {
    const costs = [3, 9, 1, 4, 7, 2];
    const n = 5;
    const k = 3;
    let best = Infinity;
    for (let a = 0; a < costs.length; a++)
      for (let b = a + 1; b < costs.length - 1; b++)
        for (let x = 1; x <= n - 2; x++)
          for (let y = 1; x + y <= n - 1; y++) {
            const z = n - x - y;
            const s = (i: number, j: number) => costs.slice(i, j + 1).reduce((p, q) => p + q, 0);
            best = Math.min(best, Math.max(s(0, a) / x, s(a + 1, b) / y, s(b + 1, costs.length - 1) / z));
          }
    expect(partitionLengthGroups(costs, n, k).maxLoad).toBeCloseTo(best, 12);
  });

  it("gives every group at least minPerGroup instances, with fewer groups when there are not enough", () => {
    const p = partitionLengthGroups([10, 10, 60], 4, 2, 2);
    expect(p.instances).toEqual([2, 2]);
    expect(partitionLengthGroups([1, 1, 1, 1], 5, 4, 2).instances).toHaveLength(2);
  });
});
