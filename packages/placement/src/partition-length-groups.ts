/**
 * CascadeInfer's partition: the bins of a length histogram, in length order,
 * split into `groups` contiguous ranges, and `instances` instances shared
 * out among them (each range gets ≥ minPerGroup, default 1), minimising the largest per-instance
 * load, load being the summed cost of a range's requests / its instances.
 * Ties go to the smaller sum of squared per-instance loads (the flatter
 * spread), then to the first found (deterministic).
 *
 * Dynamic programme over (ranges so far, bins covered, instances used):
 * O(groups × bins² × instances²) time, a few hundred thousand steps for a
 * 25-bin histogram and 8 instances; bounded by the caller's replanning rate.
 */
export interface LengthPartition {
  /** Per group: the last bin it covers (inclusive); the last group ends at the last bin. */
  lastBin: number[];
  /** Per group: instances assigned. */
  instances: number[];
  /** The largest per-instance load of the partition. */
  maxLoad: number;
}

export function partitionLengthGroups(
  binCosts: ArrayLike<number>,
  instances: number,
  groups: number,
  minPerGroup = 1,
): LengthPartition {
  const B = binCosts.length;
  if (instances < 1 || B < 1) throw new RangeError(`need ≥ 1 bin and ≥ 1 instance (got ${B} bins, ${instances} instances)`);
  const least = Math.max(1, Math.min(Math.floor(minPerGroup), instances));
  const K = Math.max(1, Math.min(groups, Math.floor(instances / least), B));
  const prefix = new Float64Array(B + 1);
  for (let b = 0; b < B; b++) prefix[b + 1] = prefix[b]! + Math.max(0, binCosts[b] ?? 0);

  // best[k][j][m]: bins [0, j) in k ranges on m instances. Flattened.
  const size = (K + 1) * (B + 1) * (instances + 1);
  const idx = (k: number, j: number, m: number) => (k * (B + 1) + j) * (instances + 1) + m;
  const maxLoad = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const sumSq = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const fromJ = new Int32Array(size).fill(-1);
  const fromM = new Int32Array(size).fill(-1);
  maxLoad[idx(0, 0, 0)] = 0;
  sumSq[idx(0, 0, 0)] = 0;
  for (let k = 1; k <= K; k++) {
    for (let j = k; j <= B; j++) {
      for (let m = k * least; m <= instances; m++) {
        const at = idx(k, j, m);
        for (let i = k - 1; i < j; i++) {
          const w = prefix[j]! - prefix[i]!;
          for (let n = least; n <= m - (k - 1) * least; n++) {
            const prev = idx(k - 1, i, m - n);
            const pm = maxLoad[prev]!;
            if (pm === Number.POSITIVE_INFINITY) continue;
            const per = w / n;
            const mx = per > pm ? per : pm;
            const sq = sumSq[prev]! + n * per * per;
            if (mx < maxLoad[at]! || (mx === maxLoad[at]! && sq < sumSq[at]!)) {
              maxLoad[at] = mx;
              sumSq[at] = sq;
              fromJ[at] = i;
              fromM[at] = m - n;
            }
          }
        }
      }
    }
  }
  const lastBin: number[] = [];
  const counts: number[] = [];
  let j = B;
  let m = instances;
  for (let k = K; k >= 1; k--) {
    const at = idx(k, j, m);
    const i = fromJ[at]!;
    const pm = fromM[at]!;
    lastBin.unshift(j - 1);
    counts.unshift(m - pm);
    j = i;
    m = pm;
  }
  return { lastBin, instances: counts, maxLoad: maxLoad[idx(K, B, instances)]! };
}
