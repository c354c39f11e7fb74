import { seededRandom } from "./hash.js";

export interface KMeansOptions {
  readonly k: number;
  readonly seed: number;
  /** Lloyd iterations at most (default 50); stops earlier when no point moves. */
  readonly maxIterations?: number;
}

export interface KMeansResult {
  /** k × dims, row-major. */
  readonly centroids: Float32Array;
  readonly k: number;
  readonly dims: number;
  /** Cluster of each input point. */
  readonly assignments: Int32Array;
  /** Sum of squared distances of the points to their centroids. */
  readonly inertia: number;
  readonly iterations: number;
}

/**
 * k-means with k-means++ seeding and Lloyd iterations, deterministic for a
 * seed. Points are rows of a row-major matrix (n × dims). Empty clusters are
 * re-seeded with the point farthest from its centroid, so k clusters come out.
 */
export function kmeans(points: Float32Array, dims: number, opts: KMeansOptions): KMeansResult {
  const n = points.length / dims;
  if (!Number.isInteger(n) || n === 0) throw new Error(`k-means needs at least one point of ${dims} dimensions`);
  const k = Math.min(opts.k, n);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means needs k ≥ 1, got ${opts.k}`);
  const rand = seededRandom(opts.seed);
  const centroids = plusPlusInit(points, n, dims, k, rand);
  const assignments = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const maxIt = opts.maxIterations ?? 50;
  let it = 0;
  for (; it < maxIt; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const [c, d] = nearest(points, i, centroids, k, dims);
      if (assignments[i] !== c) moved++;
      assignments[i] = c;
      dist[i] = d;
    }
    if (moved === 0 && it > 0) break;
    recompute(points, n, dims, k, assignments, dist, centroids);
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const [c, d] = nearest(points, i, centroids, k, dims);
    assignments[i] = c;
    inertia += d;
  }
  return { centroids, k, dims, assignments, inertia, iterations: it };
}

/** Index of the centroid nearest to `v` (squared Euclidean) among the k rows of `centroids`. */
export function nearestCentroid(v: ArrayLike<number>, centroids: ArrayLike<number>, k: number): number {
  const dims = v.length;
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const off = c * dims;
    let d = 0;
    for (let j = 0; j < dims; j++) {
      const x = v[j]! - centroids[off + j]!;
      d += x * x;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function nearest(points: Float32Array, i: number, centroids: Float32Array, k: number, dims: number): [number, number] {
  const off = i * dims;
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const coff = c * dims;
    let d = 0;
    for (let j = 0; j < dims; j++) {
      const x = points[off + j]! - centroids[coff + j]!;
      d += x * x;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return [best, bestD];
}

function sqDist(points: Float32Array, i: number, centroids: Float32Array, c: number, dims: number): number {
  let d = 0;
  const off = i * dims;
  const coff = c * dims;
  for (let j = 0; j < dims; j++) {
    const x = points[off + j]! - centroids[coff + j]!;
    d += x * x;
  }
  return d;
}

/** k-means++: each next seed drawn with probability ∝ squared distance to the nearest seed so far. */
function plusPlusInit(points: Float32Array, n: number, dims: number, k: number, rand: () => number): Float32Array {
  const centroids = new Float32Array(k * dims);
  const first = Math.floor(rand() * n);
  centroids.set(points.subarray(first * dims, first * dims + dims), 0);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = sqDist(points, i, centroids, 0, dims);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i]!;
    let pick = n - 1;
    if (total > 0) {
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i]!;
        if (r <= 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = Math.floor(rand() * n);
    }
    centroids.set(points.subarray(pick * dims, pick * dims + dims), c * dims);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, sqDist(points, i, centroids, c, dims));
  }
  return centroids;
}

function recompute(
  points: Float32Array,
  n: number,
  dims: number,
  k: number,
  assignments: Int32Array,
  dist: Float64Array,
  centroids: Float32Array,
): void {
  const sums = new Float64Array(k * dims);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    counts[c]! += 1;
    const off = i * dims;
    const coff = c * dims;
    for (let j = 0; j < dims; j++) sums[coff + j]! += points[off + j]!;
  }
  const taken = new Set<number>();
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) {
      // Re-seed an empty cluster with the worst-served point not already used.
      let far = -1;
      for (let i = 0; i < n; i++) if (!taken.has(i) && (far < 0 || dist[i]! > dist[far]!)) far = i;
      taken.add(far);
      centroids.set(points.subarray(far * dims, far * dims + dims), c * dims);
      continue;
    }
    const coff = c * dims;
    for (let j = 0; j < dims; j++) centroids[coff + j] = sums[coff + j]! / counts[c]!;
  }
}
