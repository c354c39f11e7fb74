// The outer level's search space: the router's budget knob β (which tier a
// cluster starts at) and one shift applied to every accept threshold (how
// readily a tier's answer is accepted instead of escalated). β and the
// thresholds together set each tier's traffic and the cascade's quality.
// A knob may also name one tier that serves everything, with no routing: the
// single-tier deployments a cascade has to beat (β = 0 alone does not give
// "strongest only", since some clusters are answered best by a cheaper tier).

import type { ScoredCascade } from "./scored-cascade.js";

export interface CascadeKnob {
  beta: number;
  /** Added to every non-final tier's threshold (clamped to [0, 1]); 0 = the artifact's thresholds. */
  thresholdShift: number;
  /** Every request is served by this tier (index) alone; β and the shift are then ignored. */
  onlyTier?: number;
}

/**
 * β values at which some cluster's start tier changes (accuracy − β × cost
 * ties between two options), so every distinct start assignment is one β:
 * 0, the midpoints between consecutive breakpoints, and one past the last.
 */
export function distinctBetas(cascade: ScoredCascade): number[] {
  const breaks = new Set<number>();
  for (const opts of cascade.starts) {
    for (const a of opts) {
      for (const b of opts) {
        if (b.cost > a.cost && b.accuracy > a.accuracy) breaks.add((b.accuracy - a.accuracy) / (b.cost - a.cost));
      }
    }
  }
  const sorted = [...breaks].sort((x, y) => x - y);
  if (sorted.length === 0) return [0];
  const mids = sorted.slice(1).map((b, i) => (b + sorted[i]!) / 2);
  return [0, ...mids, sorted.at(-1)! * 1.5];
}

/** At most `count` values of `values` (sorted), evenly spaced by rank, always keeping the first and last. */
export function spreadPick(values: readonly number[], count: number): number[] {
  if (values.length <= count) return [...values];
  if (count <= 1) return [values[0]!];
  return [...new Set(Array.from({ length: count }, (_, k) => values[Math.round((k * (values.length - 1)) / (count - 1))]!))];
}

/**
 * The default grid: up to `betaCount` distinct-assignment βs plus the
 * artifact's own, × the shifts; then each single tier alone (cheapest and strongest).
 */
export function defaultKnobs(
  cascade: ScoredCascade,
  opts: { betaCount?: number; thresholdShifts?: readonly number[] } = {},
): CascadeKnob[] {
  const betas = [...new Set([...spreadPick(distinctBetas(cascade), opts.betaCount ?? 8), cascade.beta])].sort((a, b) => a - b);
  const shifts = opts.thresholdShifts ?? [-0.1, 0, 0.1];
  return [
    ...betas.flatMap((beta) => shifts.map((thresholdShift) => ({ beta, thresholdShift }))),
    ...singleTierKnobs(cascade.tiers.length),
  ];
}

/** Serving everything on the cheapest tier, and on the strongest. */
export function singleTierKnobs(tierCount: number): CascadeKnob[] {
  const ends = tierCount === 1 ? [0] : [0, tierCount - 1];
  return ends.map((onlyTier) => ({ beta: 0, thresholdShift: 0, onlyTier }));
}
