// The length axis the histogram, the DP and group bounds share: geometric
// bins (×1.5 then ×4/3, i.e. 128, 192, 256, 384, 512, 768, 1024, …), so
// short requests are told apart finely and long ones coarsely, and a tier's
// whole range up to 256K tokens fits in 24 bins: the DP stays cheap.

const EDGES: number[] = (() => {
  const edges: number[] = [];
  for (let p = 128; p <= 262_144; p *= 2) edges.push(p, p * 1.5);
  return edges.filter((e) => e <= 262_144 * 1.5);
})();

/** Upper bounds (inclusive, tokens) of every bin but the last, which is unbounded. */
export const LENGTH_BIN_UPPER_BOUNDS: readonly number[] = EDGES;
/** Bins in all: one per upper bound, plus the unbounded last one. */
export const LENGTH_BIN_COUNT = EDGES.length + 1;

/** The bin of a length in tokens: the first whose upper bound is ≥ it. */
export function lengthBin(tokens: number): number {
  let lo = 0;
  let hi = EDGES.length; // answer in [lo, hi]; hi = the unbounded bin
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens <= EDGES[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The upper bound of a bin in tokens; 0 for the last (unbounded) bin, as in LengthGroup.max_tokens. */
export function binUpperBound(bin: number): number {
  return EDGES[bin] ?? 0;
}

/** How a group is named in PlacementDecision.lengthGroup: "≤2048", or ">2048" for the unbounded one. */
export function lengthGroupLabel(maxTokens: number, previousMaxTokens: number): string {
  return maxTokens > 0 ? `≤${maxTokens}` : previousMaxTokens > 0 ? `>${previousMaxTokens}` : "all";
}
