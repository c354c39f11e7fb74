import { existsSync } from "node:fs";
import { type LabelledDataset, loadGsm8k, loadLabelledCsv, loadMmlu } from "@weir/datasets";
import { mergeDatasets } from "./merge-datasets.js";

/**
 * Reads the data named on the command line: "gsm8k", "mmlu",
 * "mmlu:anatomy,astronomy" (some subjects), or the path of a CSV file in the
 * RouteLLM format. Several are merged into one data set.
 */
export function loadDatasetSpecs(specs: readonly string[]): LabelledDataset {
  const parts = specs.map((spec) => {
    if (spec === "gsm8k") return loadGsm8k();
    if (spec === "mmlu") return loadMmlu();
    if (spec.startsWith("mmlu:")) return loadMmlu(spec.slice(5).split(",").filter((s) => s !== ""));
    if (existsSync(spec)) return loadLabelledCsv(spec);
    throw new Error(`--dataset ${JSON.stringify(spec)} is neither gsm8k, mmlu, mmlu:<subject,…> nor an existing CSV file`);
  });
  return parts.length === 1 ? parts[0]! : mergeDatasets(parts);
}
