// The trained artifacts' tiers are API models with recorded answers
// (RouteLLM: Mixtral-8x7B-Instruct as "small", GPT-4 1106-preview as
// "large"); their serving cost cannot be simulated, so each tier is served in
// the simulator by an open model of its size class. The quality figures come
// from the recorded answers; the latency figures from the stand-in. Both
// are stated wherever a plan is printed.

/** Tier name → @weir/sim model that stands in for it. */
export const DEFAULT_TIER_STAND_INS: Readonly<Record<string, string>> = {
  small: "llama-3.1-8b",
  large: "llama-3.1-70b",
};

/** The sim model per tier, in the tiers' order; throws naming the tiers without one. */
export function standInsFor(tiers: readonly string[], table: Readonly<Record<string, string>> = DEFAULT_TIER_STAND_INS): string[] {
  const missing = tiers.filter((t) => table[t] === undefined);
  if (missing.length > 0) {
    throw new RangeError(`no simulated stand-in model for tier(s) ${missing.join(", ")}: the table has ${Object.keys(table).join(", ")}`);
  }
  return tiers.map((t) => table[t]!);
}
