// The cascade replayed under one knob setting: each row's path (its start
// tier under β, then each tier it escalates to while the QE probability of
// the current tier's recorded answer is below the shifted threshold; the last
// tier always answers), the accuracy against the labels, and each tier's share.

import { chooseStart } from "@weir/routing";
import type { CascadeKnob } from "./cascade-knob.js";
import type { ScoredCascade } from "./scored-cascade.js";

export interface CascadeOutcome {
  /** paths[i]: the tiers row i visits, in order (a request that escalates is served by each). */
  paths: number[][];
  accuracy: number;
  /** Always answering on the strongest (last) tier, on the same rows. */
  strongestAccuracy: number;
  /** accuracy / strongestAccuracy: the quality the outer level trades (what `--min-quality` bounds). */
  quality: number;
  /** Share of rows that reached (were generated on) each tier. */
  reached: number[];
}

export function cascadeOutcome(cascade: ScoredCascade, knob: CascadeKnob): CascadeOutcome {
  const T = cascade.tiers.length;
  if (knob.onlyTier !== undefined && !(Number.isInteger(knob.onlyTier) && knob.onlyTier >= 0 && knob.onlyTier < T)) {
    throw new RangeError(`onlyTier ${knob.onlyTier} is not a tier index (there are ${T})`);
  }
  const index = new Map(cascade.tiers.map((t, i) => [t, i]));
  const startOf = cascade.starts.map((opts) => {
    const tier = opts[chooseStart(opts, knob.beta)]!.tier;
    const i = index.get(tier);
    if (i === undefined) throw new Error(`a cluster starts at tier "${tier}", which is not one of ${cascade.tiers.join(", ")}`);
    return i;
  });
  const thresholds = cascade.thresholds.map((ts) => ts.map((x, t) => (t === T - 1 ? 0 : Math.min(1, Math.max(0, x + knob.thresholdShift)))));
  const reached = new Array<number>(T).fill(0);
  let correct = 0;
  let strongest = 0;
  const paths: number[][] = [];
  for (let i = 0; i < cascade.rows; i++) {
    const c = cascade.clusters[i]!;
    const path: number[] = [];
    if (knob.onlyTier !== undefined) {
      path.push(knob.onlyTier);
      reached[knob.onlyTier]! += 1;
      correct += cascade.correct[i * T + knob.onlyTier]!;
    }
    for (let t = knob.onlyTier === undefined ? startOf[c]! : T; t < T; t++) {
      path.push(t);
      reached[t]! += 1;
      if (t === T - 1 || cascade.probs[i * T + t]! >= thresholds[c]![t]!) {
        correct += cascade.correct[i * T + t]!;
        break;
      }
    }
    paths.push(path);
    strongest += cascade.correct[i * T + T - 1]!;
  }
  const n = cascade.rows;
  const accuracy = n === 0 ? 0 : correct / n;
  const strongestAccuracy = n === 0 ? 0 : strongest / n;
  return {
    paths,
    accuracy,
    strongestAccuracy,
    quality: strongestAccuracy === 0 ? 0 : accuracy / strongestAccuracy,
    reached: reached.map((r) => (n === 0 ? 0 : r / n)),
  };
}
