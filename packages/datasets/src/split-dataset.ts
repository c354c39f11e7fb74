// Deterministic train/validation/test splits. A row's split depends only on
// the seed and its id (a hash of its prompt), never on the other rows or on
// their order: the same on every run and machine, and stable when rows are
// added or removed.

import type { LabelledDataset } from "./labelled-dataset.js";
import { stableUnit } from "./stable-hash.js";

export type SplitName = "train" | "validation" | "test";

export interface SplitOptions {
  seed: string | number;
  /** Each ≥ 0, summing to 1. */
  fractions: { train: number; validation: number; test: number };
}

export interface DatasetSplit {
  train: LabelledDataset;
  validation: LabelledDataset;
  test: LabelledDataset;
}

/** The split of a row id: SHA-256 of "seed:id" mapped to [0, 1), then cut at the fractions. */
export function assignSplit(rowId: string, opts: SplitOptions): SplitName {
  const { train, validation } = checkFractions(opts.fractions);
  const u = stableUnit(`${opts.seed}:${rowId}`);
  if (u < train) return "train";
  if (u < train + validation) return "validation";
  return "test";
}

/**
 * Splits `ds` by assignSplit; each part keeps the dataset's models, its rows in
 * their original order, and is named "<name>:<split>". Rows sharing an id
 * (the same prompt) always land in the same part.
 */
export function splitDataset(ds: LabelledDataset, opts: SplitOptions): DatasetSplit {
  checkFractions(opts.fractions);
  const parts: Record<SplitName, LabelledDataset["rows"]> = { train: [], validation: [], test: [] };
  for (const row of ds.rows) parts[assignSplit(row.id, opts)].push(row);
  const part = (split: SplitName): LabelledDataset => ({
    name: `${ds.name}:${split}`,
    models: [...ds.models],
    rows: parts[split],
  });
  return { train: part("train"), validation: part("validation"), test: part("test") };
}

function checkFractions(f: SplitOptions["fractions"]): SplitOptions["fractions"] {
  for (const [k, v] of Object.entries(f)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`fractions.${k} must be a number ≥ 0, got ${v}`);
  }
  const sum = f.train + f.validation + f.test;
  if (Math.abs(sum - 1) > 1e-9) {
    throw new RangeError(`fractions must sum to 1, got ${f.train} + ${f.validation} + ${f.test} = ${sum}`);
  }
  return f;
}
