import { evaluateArtifact, formatEval, loadArtifact, loadDatasetSpecs } from "@weir/trainer";

export interface EvalCommandOptions {
  artifacts: string;
  dataset: string[];
  budget?: string;
  json?: boolean;
}

/**
 * `weir eval`: replays a trained artifact's cascade on a labelled file
 * (accuracy, accuracy relative to the strongest tier, share of requests
 * reaching each tier, cost relative to always-strongest). With --json, one
 * JSON object on stdout.
 */
export async function evalCommand(o: EvalCommandOptions): Promise<void> {
  try {
    const artifact = loadArtifact(o.artifacts);
    const dataset = loadDatasetSpecs(o.dataset);
    const beta = o.budget === undefined ? undefined : Number(o.budget);
    if (beta !== undefined && !(Number.isFinite(beta) && beta >= 0)) throw new Error(`--budget ${o.budget} is not a number ≥ 0`);
    const report = await evaluateArtifact(artifact, dataset, beta === undefined ? {} : { beta });
    if (o.json === true) {
      process.stdout.write(`${JSON.stringify({ artifacts: o.artifacts, dataset: dataset.name, ...report })}\n`);
      return;
    }
    process.stdout.write(`${dataset.name}: ${report.rows} rows, artifact ${o.artifacts} (trained ${artifact.createdAt})\n${formatEval(report)}\n`);
  } catch (err) {
    process.stderr.write(`weir eval: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
