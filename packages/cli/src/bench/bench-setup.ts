// What every `weir bench` run starts from: the trained artifact, the data
// set scored by its router and judge (ScoredCascade), the sim stand-ins of
// the two tiers, the workload rows and the tier prices.
//
// Rows: by default the benchmark replays only the rows the artifact held out
// from training (the trainer's own split: its seed and test fraction, by
// row id), and the planner chooses its knob on the training rows — accuracy
// measured on the rows the router and judge were fitted on would flatter
// them. `rows: "all"` replays and plans on every row (in-sample).

import { type LabelledDataset, splitDataset } from "@weir/datasets";
import { type ScoredCascade, scoreCascade, standInsFor } from "@weir/planner";
import { RoutingModel, type RoutingArtifact, loadArtifact } from "@weir/routing";
import { loadDatasetSpecs } from "@weir/trainer";
import type { WorkloadRow } from "../warmup-bench/gsm8k-workload.js";
import { twoTiers } from "../warmup-bench/cascade-decisions.js";
import { dataRows } from "./bench-workload.js";
import type { TierPrices } from "./simulate-deployment.js";

export type BenchRows = "held-out" | "all";
export const BENCH_ROWS: readonly BenchRows[] = ["held-out", "all"];

export interface BenchSetup {
  artifact: RoutingArtifact;
  /** The rows replayed (named "<data set>:test" when held out). */
  ds: LabelledDataset;
  /** The data set's own name ("gsm8k"), whatever rows are replayed. */
  sourceName: string;
  /** The replayed rows scored: every deployment's paths and accuracy come from it. */
  cascade: ScoredCascade;
  /** The rows the planner chooses Weir's knob on (the training rows, or every row). */
  planningCascade: ScoredCascade;
  smallModel: string;
  largeModel: string;
  rows: WorkloadRow[];
  prices: TierPrices;
  /** One sentence: which rows are replayed and which the planner saw. */
  rowsNote: string;
}

export async function prepareBench(o: { artifacts: string; dataset: readonly string[]; rows?: BenchRows }): Promise<BenchSetup> {
  const artifact = loadArtifact(o.artifacts);
  const tiers = twoTiers(artifact);
  const all = loadDatasetSpecs(o.dataset);
  const model = new RoutingModel(artifact);
  const [small, large] = artifact.tiers;
  const prices = { small: small!.pricing, large: large!.pricing };
  let ds = all;
  let planning = all;
  let rowsNote = `every row of ${all.name} (${all.rows.length}), also those the artifact was trained on: in-sample accuracy`;
  if ((o.rows ?? "held-out") === "held-out") {
    const { seed, test } = trainerSplit(artifact, o.artifacts);
    const split = splitDataset(all, { seed, fractions: { train: 1 - test, validation: 0, test } });
    if (split.test.rows.length === 0 || split.train.rows.length === 0) throw new Error(`the held-out split of ${all.name} is empty: use --rows all`);
    ds = split.test;
    planning = split.train;
    rowsNote =
      `the ${ds.rows.length} rows of ${all.name} the artifact held out from training (seed ${seed}, test fraction ${test}); ` +
      `the planner chose Weir's knob on the ${planning.rows.length} training rows`;
  }
  const cascade = await scoreCascade(model, ds);
  const planningCascade = planning === ds ? cascade : await scoreCascade(model, planning);
  const [smallModel, largeModel] = standInsFor(cascade.tiers) as [string, string];
  return { artifact, ds, sourceName: all.name, cascade, planningCascade, smallModel, largeModel, rows: dataRows(ds, tiers), prices, rowsNote };
}

/** The trainer records its split in the artifact's settings: { seed, split: { test } }. */
function trainerSplit(artifact: RoutingArtifact, dir: string): { seed: number; test: number } {
  const seed = artifact.settings["seed"];
  const split = artifact.settings["split"] as { test?: unknown } | undefined;
  const test = split?.test;
  if (typeof seed !== "number" || typeof test !== "number" || !(test > 0 && test < 1)) {
    throw new Error(`the artifact in ${dir} does not record the trainer's split (settings.seed, settings.split.test): use --rows all`);
  }
  return { seed, test };
}
