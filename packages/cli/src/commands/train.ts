import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type EmbedderChoice,
  formatKSelection,
  formatMethods,
  loadDatasetSpecs,
  parseTierArg,
  progressBar,
  renderFrontier,
  saveArtifact,
  train,
} from "@weir/trainer";

export interface TrainCommandOptions {
  dataset: string[];
  tier?: string[];
  out?: string;
  seed: string;
  testFraction: string;
  folds: string;
  k?: string;
  target: string;
  embedder: string;
  embeddingsUrl?: string;
  embeddingsModel?: string;
  plot: boolean;
  json?: boolean;
}

/**
 * `weir train`: learns a routing artifact (clusters, β, QE, thresholds) from
 * labelled answers and writes routing.json, report.json and the frontier
 * plot (frontier.svg, frontier.png) into --out; prints the quality–cost table.
 */
export async function trainCommand(o: TrainCommandOptions): Promise<void> {
  const json = o.json === true;
  const bar = progressBar(!json);
  try {
    const dataset = loadDatasetSpecs(o.dataset);
    const out = o.out ?? join("artifacts", dataset.name.replace(/[^a-z0-9+-]+/gi, "-"));
    const embedder: EmbedderChoice =
      o.embedder === "openai"
        ? {
            kind: "openai",
            baseUrl: required(o.embeddingsUrl, "--embeddings-url"),
            model: required(o.embeddingsModel, "--embeddings-model"),
            apiKey: process.env.WEIR_EMBEDDINGS_API_KEY,
          }
        : { kind: "hashed-tfidf" };
    if (o.embedder !== "openai" && o.embedder !== "hashed-tfidf") throw new Error(`--embedder ${o.embedder} is not hashed-tfidf or openai`);
    const { artifact, report } = await train({
      dataset,
      ...(o.tier === undefined || o.tier.length === 0 ? {} : { tiers: o.tier.map(parseTierArg) }),
      seed: num(o.seed, "--seed"),
      testFraction: num(o.testFraction, "--test-fraction"),
      folds: num(o.folds, "--folds"),
      ...(o.k === undefined ? {} : { kCandidates: o.k.split(",").map((k) => num(k, "--k")) }),
      target: num(o.target, "--target"),
      embedder,
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    const path = saveArtifact(out, artifact);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "report.json"), `${JSON.stringify(report, null, 1)}\n`);
    if (o.plot) {
      const { svg, png } = await renderFrontier(report);
      writeFileSync(join(out, "frontier.svg"), svg);
      writeFileSync(join(out, "frontier.png"), png);
    }
    if (json) {
      process.stdout.write(`${JSON.stringify({ artifact: path, report })}\n`);
      return;
    }
    const c = report.chosen;
    process.stdout.write(
      [
        `trained on ${report.rows.train} rows of ${report.dataset}, held out ${report.rows.test} (seed ${artifact.settings.seed})`,
        `tiers: ${report.tiers.map((t) => `${t.name} = ${t.model} ($${t.inputPerMTok}/$${t.outputPerMTok} per 1M in/out)`).join("; ")}`,
        "",
        "k chosen on validation (cross-fitted folds of the training split):",
        formatKSelection(report),
        "",
        `chosen: k=${c.k}, β=${c.beta}, thresholds ${th(c.thresholds)}` +
          (th(c.thresholdsWithoutText) === th(c.thresholds) ? " " : ` (clusters without answer text: ${th(c.thresholdsWithoutText)}) `) +
          `(validation: ${(c.validation.relativeAccuracy * 100).toFixed(1)}% of the strongest tier's accuracy at ${(c.validation.costRelative * 100).toFixed(1)}% of its cost${c.validation.met ? "" : `; target ${report.target} not reached`})`,
        "",
        formatMethods(report),
        "",
        `QE on held-out answers: AUC ${report.test.qe.auc ?? "n/a"}, ECE ${report.test.qe.ece}`,
        `wrote ${path}, ${join(out, "report.json")}${o.plot ? `, ${join(out, "frontier.svg")}, ${join(out, "frontier.png")}` : ""}`,
        "",
      ].join("\n"),
    );
  } catch (err) {
    bar.stop();
    process.stderr.write(`weir train: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

function th(x: Record<string, number>): string {
  return Object.entries(x)
    .map(([t, v]) => `${t} ${v}`)
    .join(", ");
}

function num(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${flag} ${JSON.stringify(v)} is not a number`);
  return n;
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === "") throw new Error(`${flag} is required with --embedder openai`);
  return v;
}
