import { describe, expect, it } from "vitest";
import { assignClusters, chooseStart } from "./assignment.js";

// Three tiers, cheapest first; accuracy rises with cost, differently per cluster.
const clusters = [
  [
    { tier: "small", accuracy: 0.7, cost: 0.05 },
    { tier: "medium", accuracy: 0.8, cost: 0.3 },
    { tier: "large", accuracy: 0.9, cost: 1 },
  ],
  [
    { tier: "small", accuracy: 0.88, cost: 0.05 },
    { tier: "medium", accuracy: 0.89, cost: 0.3 },
    { tier: "large", accuracy: 0.9, cost: 1 },
  ],
];

describe("tier assignment under the budget β", () => {
  it("β = 0 buys the most accurate tier everywhere", () => {
    expect(assignClusters(clusters, 0)).toEqual(["large", "large"]);
  });

  it("a large β buys the cheapest tier everywhere", () => {
    expect(assignClusters(clusters, 100)).toEqual(["small", "small"]);
  });

  it("in between, each cluster gets its most cost-effective tier", () => {
    // Cluster 0: small 0.7−0.2·0.05=0.69, medium 0.8−0.06=0.74, large 0.9−0.2=0.7 → medium.
    // Cluster 1: small 0.87 beats the rest.
    expect(assignClusters(clusters, 0.2)).toEqual(["medium", "small"]);
  });

  it("breaks ties towards the cheaper tier and rejects a negative β", () => {
    expect(chooseStart([{ tier: "a", accuracy: 0.5, cost: 1 }, { tier: "b", accuracy: 0.5, cost: 0.5 }], 0)).toBe(1);
    expect(() => chooseStart(clusters[0]!, -1)).toThrow(/β must be a number ≥ 0/);
  });
});
