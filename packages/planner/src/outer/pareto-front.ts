// The Pareto front of (latency, quality): lower latency and higher quality
// are better; a point is kept when no other is at least as good on both and
// better on one. Exact duplicates keep the first.

export interface LatencyQuality {
  latencyMs: number;
  quality: number;
}

/** Indices of the non-dominated points, by latency ascending. */
export function paretoFront(points: readonly LatencyQuality[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[a]!.latencyMs - points[b]!.latencyMs || points[b]!.quality - points[a]!.quality || a - b);
  const front: number[] = [];
  let bestQuality = -Infinity;
  for (const i of order) {
    // Sorted by latency, then quality descending: a point is on the front exactly when it beats every faster one's quality.
    if (points[i]!.quality > bestQuality) {
      front.push(i);
      bestQuality = points[i]!.quality;
    }
  }
  return front;
}
