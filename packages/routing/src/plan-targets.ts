/**
 * Per-request targets (PlanRequest.min_quality / max_cost_usd): which ladder
 * honours them, or why none can. Pure: the routers estimate each candidate
 * ladder's quality and cost, this file chooses and writes the note that
 * reaches the client (RoutePlan.targets_note → CascadeInfo, x-weir-targets-note).
 * Notes stay ASCII because they travel as an HTTP header.
 */

/** What a request asked for; a field is absent when the request did not set it. */
export interface PlanTargets {
  readonly minQuality?: number | undefined;
  readonly maxCostUsd?: number | undefined;
}

/** One ladder a router could plan, with its estimates for this request. */
export interface LadderCandidate {
  /** Tier names, cheapest first; the last rung is accepted unjudged. */
  readonly tiers: readonly string[];
  /** Expected quality (0..1) of the answer this ladder returns. */
  readonly quality: number;
  /** Expected cost: the first rung, plus each later rung weighted by the chance it runs. */
  readonly expectedCostUsd: number;
  /** Cost if every rung runs: what the cap is checked against, so the cap holds whatever the judge says. */
  readonly worstCostUsd: number;
}

export interface TargetFit {
  readonly tiers: readonly string[];
  readonly note: string;
}

/** Output tokens assumed per generation when estimating cost (the request's max_tokens does not reach the router). */
export const EXPECTED_OUTPUT_TOKENS = 256;

/** The targets of a request with its prompt size, which the cost estimates need. */
export interface RequestTargets extends PlanTargets {
  readonly promptTokens: number;
}

/** The targets a request set, or undefined when it set none (the router's own choice stands untouched). */
export function targetsOf(req: PlanTargets & { readonly promptTokens?: number | undefined }): RequestTargets | undefined {
  if (req.minQuality === undefined && req.maxCostUsd === undefined) return undefined;
  return { minQuality: req.minQuality, maxCostUsd: req.maxCostUsd, promptTokens: req.promptTokens ?? 0 };
}

/** US dollars for one generation of `promptTokens` in and `outputTokens` out at per-million-token prices. */
export function generationCostUsd(
  pricing: { readonly inputPerMTok: number; readonly outputPerMTok: number },
  promptTokens: number,
  outputTokens: number = EXPECTED_OUTPUT_TOKENS,
): number {
  return (promptTokens * pricing.inputPerMTok + outputTokens * pricing.outputPerMTok) / 1e6;
}

/**
 * Chooses among `candidates` (never empty) for `targets`, `preferred` being
 * the router's own choice. Honoured: with a minimum quality, the cheapest
 * (expected cost) ladder that reaches it within the cap; with only a cap, the
 * router's choice when it fits, else the best quality that fits. Not
 * honourable: the cap wins over quality (a cost limit is a hard promise, a
 * quality estimate is not), so the best quality within the cap, or the
 * cheapest ladder when nothing fits the cap, and the note says why.
 */
export function fitTargets(candidates: readonly LadderCandidate[], targets: PlanTargets, preferred: readonly string[]): TargetFit {
  const { minQuality: q, maxCostUsd: cap } = targets;
  const fitsCap = (c: LadderCandidate): boolean => cap === undefined || c.worstCostUsd <= cap;
  const within = candidates.filter(fitsCap);
  const wanted = `${q === undefined ? "" : `min quality ${f2(q)}`}${q !== undefined && cap !== undefined ? ", " : ""}${cap === undefined ? "" : `max cost ${usd(cap)}`}`;

  if (within.length === 0) {
    const cheapest = minBy(candidates, (c) => c.worstCostUsd);
    const single = minBy(
      candidates.filter((c) => c.tiers.length === 1),
      (c) => c.worstCostUsd,
    ) ?? cheapest!;
    return {
      tiers: single.tiers,
      note: `${wanted}: max cost ${usd(cap!)} is below the cheapest tier's estimated cost (${usd(single.worstCostUsd)} for this prompt); using ${describe(single)}, the cheapest`,
    };
  }
  if (q === undefined) {
    const own = within.find((c) => same(c.tiers, preferred));
    if (own !== undefined) return { tiers: own.tiers, note: `${wanted}: the planned ladder ${describe(own)} fits (est. at most ${usd(own.worstCostUsd)})` };
    const best = maxBy(within, (c) => c.quality - c.expectedCostUsd * 1e-9)!;
    const dropped = preferred.filter((t) => !best.tiers.includes(t));
    return {
      tiers: best.tiers,
      note: `${wanted}: rules out ${dropped.join(", ")}; using ${describe(best)} (est. at most ${usd(best.worstCostUsd)}, quality ${f2(best.quality)})`,
    };
  }
  const reaching = within.filter((c) => c.quality >= q);
  if (reaching.length > 0) {
    const cheapest = minBy(reaching, (c) => c.expectedCostUsd - c.quality * 1e-12)!;
    return {
      tiers: cheapest.tiers,
      note: `${wanted}: ${describe(cheapest)} is the cheapest ladder expected to reach it (quality ${f2(cheapest.quality)}, est. ${usd(cheapest.expectedCostUsd)})`,
    };
  }
  const strongest = maxBy(within, (c) => c.quality - c.expectedCostUsd * 1e-9)!;
  const why =
    cap !== undefined && within.length < candidates.length
      ? `no ladder within ${usd(cap)} reaches ${f2(q)} on this cluster`
      : `no ladder reaches ${f2(q)} on this cluster`;
  return { tiers: strongest.tiers, note: `${wanted}: ${why}; using the strongest, ${describe(strongest)} (quality ${f2(strongest.quality)})` };
}

function describe(c: LadderCandidate): string {
  return c.tiers.join(" -> ");
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function minBy<T>(xs: readonly T[], f: (x: T) => number): T | undefined {
  let best: T | undefined;
  for (const x of xs) if (best === undefined || f(x) < f(best)) best = x;
  return best;
}

function maxBy<T>(xs: readonly T[], f: (x: T) => number): T | undefined {
  return minBy(xs, (x) => -f(x));
}

function f2(x: number): string {
  return x.toFixed(2);
}

/** Dollars with enough significant digits to compare per-request costs ($0.000128). */
export function usd(x: number): string {
  return `$${Number(x.toPrecision(3))}`;
}
