// `--out <dir>`: a results folder small enough to commit: report.json (the
// whole report), summary.md (setup + table) and the latency plot as SVG and
// PNG.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { latencySpec, renderPlot } from "./bench-plots.js";
import type { SimBenchReport } from "./run-sim-bench.js";
import { simBenchMarkdown } from "./summary-markdown.js";

/** Writes the folder; returns the paths written. */
export async function writeBenchResults(dir: string, report: SimBenchReport, command?: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, data: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    written.push(path);
  };
  put("report.json", JSON.stringify(report, null, 2) + "\n");
  put("summary.md", simBenchMarkdown(report, command));
  const { svg, png } = await renderPlot(latencySpec(report));
  put("latency.svg", svg);
  put("latency.png", png);
  return written;
}
