/** One way to serve a cluster: start the ladder at `tier`, with its expected accuracy and cost. */
export interface StartOption {
  readonly tier: string;
  /** Expected accuracy (0..1) of the cascade that starts here. */
  readonly accuracy: number;
  /** Expected cost per request, normalised (e.g. 1 = the strongest tier's mean cost per request). */
  readonly cost: number;
}

/**
 * The most cost-effective option under the budget knob β: argmax of
 * accuracy − β × cost. β = 0 buys the most accurate option whatever it
 * costs; a large β buys the cheapest. Ties go to the cheaper option.
 * Returns the index into `options`.
 */
export function chooseStart(options: readonly StartOption[], beta: number): number {
  if (options.length === 0) throw new Error("chooseStart needs at least one option");
  if (!(Number.isFinite(beta) && beta >= 0)) throw new Error(`the budget β must be a number ≥ 0, got ${beta}`);
  let best = 0;
  let bestU = -Infinity;
  options.forEach((o, i) => {
    const u = o.accuracy - beta * o.cost;
    const better = u > bestU + 1e-12 || (Math.abs(u - bestU) <= 1e-12 && o.cost < options[best]!.cost);
    if (better) {
      best = i;
      bestU = u;
    }
  });
  return best;
}

/** chooseStart for every cluster: the tier each cluster starts at. */
export function assignClusters(clusters: readonly (readonly StartOption[])[], beta: number): string[] {
  return clusters.map((opts) => opts[chooseStart(opts, beta)]!.tier);
}
