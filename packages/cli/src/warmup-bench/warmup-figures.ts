// The figures of one simulated run: what escalated requests waited for their
// first large-tier token, and what the warm-ups cost and bought.

import type { SimCascadeOutcome, WarmUpSkip } from "./warmup-sim.js";

export interface Percentiles {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface WarmUpFigures {
  /** Requests whose plan marked the large rung warm_up (and started small). */
  asked: number;
  started: number;
  skipped: Record<WarmUpSkip, number>;
  /** Prompt tokens the started warm-ups computed (prompt − what the instance held already). */
  prefillTokens: number;
  /** Of those, for requests the judge accepted on the small tier: the warm-up was not needed. */
  unneededPrefillTokens: number;
  /** Of those, for escalations that did not reuse the warm-up (placed elsewhere, evicted, or arrived first). */
  unusedPrefillTokens: number;
  /** Started warm-ups whose request escalated: the router's hit rate. */
  precision: number;
}

export interface RunFigures {
  requests: number;
  /** Requests whose plan started on the large tier. */
  startedLarge: number;
  escalations: number;
  /** Large-tier time to first token of escalated requests, from the escalation (the small answer's end). */
  escalatedLargeTtftMs: Percentiles;
  /** The same for every real large-tier request (escalated and started large): what warm-ups cost the others. */
  allLargeTtftMs: Percentiles;
  /** Escalations whose large request found part of its prompt cached. */
  escalationsWithCacheHit: number;
  /** Escalations for which a warm-up had started. */
  escalationsWarmUpStarted: number;
  /** Prompt tokens escalated requests found cached on the large tier. */
  escalatedCachedPromptTokens: number;
  escalatedPromptTokens: number;
  warmUps: WarmUpFigures;
}

export function runFigures(outcomes: readonly SimCascadeOutcome[]): RunFigures {
  const escalated = outcomes.filter((o) => o.request.escalates && !o.request.startsOnLarge);
  const missing = outcomes.filter((o) => o.large === undefined && (o.request.startsOnLarge || o.request.escalates));
  if (missing.length > 0) throw new Error(`${missing.length} large-tier requests never finished (first: ${missing[0]!.request.id})`);
  const skipped: Record<WarmUpSkip, number> = { cached: 0, busy: 0, no_idle_instance: 0, too_short: 0 };
  let asked = 0;
  let started = 0;
  let startedEscalated = 0;
  let prefillTokens = 0;
  let unneeded = 0;
  let unused = 0;
  for (const o of outcomes) {
    const w = o.warmUp;
    if (w === undefined) continue;
    asked++;
    if (w.outcome !== "started") {
      skipped[w.outcome]++;
      continue;
    }
    started++;
    const computed = w.result === undefined ? 0 : w.result.promptTokens - w.result.cachedPromptTokens;
    prefillTokens += computed;
    if (!o.request.escalates) unneeded += computed;
    else {
      startedEscalated++;
      if (!reusedWarmUp(o)) unused += computed;
    }
  }
  return {
    requests: outcomes.length,
    startedLarge: outcomes.filter((o) => o.request.startsOnLarge).length,
    escalations: escalated.length,
    escalatedLargeTtftMs: percentiles(escalated.map((o) => o.large!.ttftMs)),
    allLargeTtftMs: percentiles(outcomes.filter((o) => o.large !== undefined).map((o) => o.large!.ttftMs)),
    escalationsWithCacheHit: escalated.filter((o) => o.large!.cachedPromptTokens > 0).length,
    escalationsWarmUpStarted: startedEscalated,
    escalatedCachedPromptTokens: escalated.reduce((s, o) => s + o.large!.cachedPromptTokens, 0),
    escalatedPromptTokens: escalated.reduce((s, o) => s + o.request.promptTokens, 0),
    warmUps: { asked, started, skipped, prefillTokens, unneededPrefillTokens: unneeded, unusedPrefillTokens: unused, precision: started === 0 ? 0 : startedEscalated / started },
  };
}

/** The escalation ran where its warm-up did, after it, and found its prompt cached there. */
function reusedWarmUp(o: SimCascadeOutcome): boolean {
  const w = o.warmUp;
  const large = o.large;
  if (w?.instance === undefined || w.result === undefined || large === undefined) return false;
  return large.instance === w.instance && w.result.finishMs <= large.arrivalMs && large.cachedPromptTokens > 0;
}

/** Nearest-rank percentiles (the sample at floor(q × n)), as @weir/sim's summaries compute them. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { n: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n: sorted.length, mean: sum / sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
