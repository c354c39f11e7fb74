import type { LabelledDataset } from "@weir/datasets";

/**
 * One dataset from several with the same models. Each row's source becomes
 * "<dataset>/<source>" (or just "<dataset>"), so reports can group by data
 * set ("gsm8k", "mmlu") and cluster labels say where a cluster comes from.
 */
export function mergeDatasets(parts: readonly LabelledDataset[]): LabelledDataset {
  const first = parts[0];
  if (first === undefined) throw new Error("no dataset to train on: give --dataset gsm8k, mmlu or a CSV file");
  for (const p of parts) {
    const missing = first.models.filter((m) => !p.models.includes(m));
    if (missing.length > 0) throw new Error(`dataset ${p.name} lacks the model column(s) ${missing.join(", ")} that ${first.name} has`);
  }
  return {
    name: parts.map((p) => p.name).join("+"),
    models: [...first.models],
    rows: parts.flatMap((p) =>
      p.rows.map((r) => ({ ...r, source: r.source === undefined || r.source === p.name ? p.name : `${p.name}/${r.source}` })),
    ),
  };
}
