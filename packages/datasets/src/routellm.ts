// The vendored RouteLLM evaluation data (datasets/routellm/, Apache-2.0):
// real answers of Mixtral-8x7B-Instruct and GPT-4 (1106-preview) with
// correctness labels.

import { readdirSync } from "node:fs";
import { datasetPath } from "./dataset-path.js";
import { type LabelledDataset, loadLabelledCsv } from "./labelled-dataset.js";

const MMLU_FILE = /^mmlu_(.+)\.csv$/;

/** GSM8K: 990 grade-school math problems with both models' full answers; every row's source is "gsm8k". */
export function loadGsm8k(): LabelledDataset {
  return loadLabelledCsv(datasetPath("routellm/gsm8k_responses.csv"), { name: "gsm8k", source: "gsm8k" });
}

/** The MMLU subjects present (one file each, datasets/routellm/mmlu/mmlu_<subject>.csv), sorted. */
export function mmluSubjects(): string[] {
  const subjects: string[] = [];
  for (const file of readdirSync(datasetPath("routellm/mmlu"))) {
    const m = MMLU_FILE.exec(file);
    if (m?.[1] !== undefined) subjects.push(m[1]);
  }
  return subjects.sort();
}

/**
 * MMLU multiple-choice questions with correctness labels and no answer text,
 * one dataset named "mmlu" whose rows carry their subject as `source`. All 57
 * subjects (11,250 rows) by default, in subject order.
 */
export function loadMmlu(subjects: readonly string[] = mmluSubjects()): LabelledDataset {
  const known = new Set(mmluSubjects());
  const rows: LabelledDataset["rows"] = [];
  let models: string[] | undefined;
  for (const subject of subjects) {
    if (!known.has(subject)) {
      throw new Error(`unknown MMLU subject "${subject}": mmluSubjects() lists the ${known.size} there are`);
    }
    const ds = loadLabelledCsv(datasetPath(`routellm/mmlu/mmlu_${subject}.csv`), { name: "mmlu", source: subject });
    if (models === undefined) models = ds.models;
    else if (ds.models.join("\n") !== models.join("\n")) {
      throw new Error(`MMLU subject "${subject}" has models ${ds.models.join(", ")}, unlike the others (${models.join(", ")})`);
    }
    for (const row of ds.rows) rows.push(row);
  }
  return { name: "mmlu", models: models ?? [], rows };
}
