import { describe, expect, it } from "vitest";
import { seededRandom } from "./hash.js";
import { kmeans, nearestCentroid } from "./kmeans.js";

/** Three well-separated Gaussian blobs in 4 dimensions. */
function blobs(perBlob: number, seed: number): { points: Float32Array; truth: number[] } {
  const rand = seededRandom(seed);
  const centres = [[5, 0, 0, 0], [0, 5, 0, 0], [0, 0, 5, 5]];
  const points = new Float32Array(centres.length * perBlob * 4);
  const truth: number[] = [];
  let i = 0;
  centres.forEach((c, b) => {
    for (let p = 0; p < perBlob; p++) {
      for (let j = 0; j < 4; j++) points[i * 4 + j] = c[j]! + (rand() - 0.5);
      truth.push(b);
      i++;
    }
  });
  return { points, truth };
}

describe("kmeans (k-means++ init, seeded)", () => {
  it("recovers synthetic blobs exactly", () => {
    const { points, truth } = blobs(40, 1);
    const r = kmeans(points, 4, { k: 3, seed: 42 });
    // Same partition up to relabelling: each true blob maps to one cluster.
    const map = new Map<number, number>();
    truth.forEach((t, i) => {
      const c = r.assignments[i]!;
      if (!map.has(t)) map.set(t, c);
      expect(map.get(t)).toBe(c);
    });
    expect(new Set(map.values()).size).toBe(3);
    expect(r.inertia).toBeLessThan(120 * 4 * (1 / 12) * 1.5);
  });

  it("is deterministic for a seed, and nearestCentroid agrees with the assignments", () => {
    const { points } = blobs(30, 2);
    const a = kmeans(points, 4, { k: 3, seed: 7 });
    const b = kmeans(points, 4, { k: 3, seed: 7 });
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    for (let i = 0; i < 90; i++) expect(nearestCentroid(points.subarray(i * 4, i * 4 + 4), a.centroids, 3)).toBe(a.assignments[i]);
  });

  it("caps k at the number of points and rejects k < 1", () => {
    const pts = new Float32Array([0, 0, 1, 1]);
    expect(kmeans(pts, 2, { k: 5, seed: 1 }).k).toBe(2);
    expect(() => kmeans(pts, 2, { k: 0, seed: 1 })).toThrow(/k ≥ 1/);
  });
});
