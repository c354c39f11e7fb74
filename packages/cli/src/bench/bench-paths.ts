// Which tiers each labelled row visits under each benchmarked policy, and
// whether the answer the client finally gets is correct. Everything comes
// from one ScoredCascade (the planner's replay of the trained router and QE
// judge on the recorded answers), so the four deployments differ only in
// routing and GPUs, never in how a row is judged.

import { type CascadeKnob, type ScoredCascade, cascadeOutcome } from "@weir/planner";

/** A row's path as tier indices (0 = small … T−1 = large) and the delivered answer's correctness. */
export interface RowPath {
  tiers: number[];
  correct: boolean;
}

/** How a deployment routes: one tier for everything, start small and escalate at the artifact's thresholds, or a planner knob. */
export type Routing = { kind: "only"; tier: number } | { kind: "static-cascade" } | { kind: "knob"; knob: CascadeKnob };

export function rowPaths(cascade: ScoredCascade, routing: Routing): RowPath[] {
  const T = cascade.tiers.length;
  const delivered = (i: number, tiers: number[]): RowPath => ({ tiers, correct: cascade.correct[i * T + tiers.at(-1)!] === 1 });
  if (routing.kind === "only") {
    if (!(Number.isInteger(routing.tier) && routing.tier >= 0 && routing.tier < T)) throw new RangeError(`no tier ${routing.tier}`);
    return Array.from({ length: cascade.rows }, (_, i) => delivered(i, [routing.tier]));
  }
  if (routing.kind === "knob") return cascadeOutcome(cascade, routing.knob).paths.map((p, i) => delivered(i, p));
  // Static cascade: no start-tier routing at all (every request starts on the
  // cheapest tier); the judge escalates while the recorded answer's QE
  // probability is below the artifact's threshold for the row's cluster.
  return Array.from({ length: cascade.rows }, (_, i) => {
    const c = cascade.clusters[i]!;
    const tiers: number[] = [];
    for (let t = 0; t < T; t++) {
      tiers.push(t);
      if (t === T - 1 || cascade.probs[i * T + t]! >= cascade.thresholds[c]![t]!) break;
    }
    return delivered(i, tiers);
  });
}
