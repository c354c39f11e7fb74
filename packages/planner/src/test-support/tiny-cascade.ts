// A hand-built two-tier cascade whose outcomes are known: 4 rows in 2
// clusters; the large tier answers all correctly, the small one rows 0–2.
// Every small answer scores 0.9 with the QE, so with the artifact's
// threshold (0.5) nothing escalates. Each cluster's start options cross at
// β = 0.25 / 0.9 ≈ 0.28: β = 0 starts everything on large (quality 1), β = 1
// everything on small (quality 0.75).

import type { ScoredCascade } from "../outer/scored-cascade.js";

export function tinyCascade(): ScoredCascade {
  const starts = [
    { tier: "small", accuracy: 0.75, cost: 0.1 },
    { tier: "large", accuracy: 1, cost: 1 },
  ];
  return {
    tiers: ["small", "large"],
    rows: 4,
    clusters: Int32Array.from([0, 0, 1, 1]),
    probs: Float64Array.from([0.9, 1, 0.9, 1, 0.9, 1, 0.9, 1]),
    correct: Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 1]),
    starts: [starts, starts],
    thresholds: [
      [0.5, 0],
      [0.5, 0],
    ],
    beta: 0.5,
  };
}
