import { fnv1a, mix32 } from "@weir/routing";

/**
 * Fold of each row for cross-fitting, from a hash of its id and the seed:
 * deterministic, and independent of row order.
 */
export function assignFolds(ids: readonly string[], folds: number, seed: number): Int32Array {
  const out = new Int32Array(ids.length);
  ids.forEach((id, i) => {
    out[i] = mix32(fnv1a(id), seed ^ 0xf01d) % folds;
  });
  return out;
}
