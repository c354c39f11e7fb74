// --out: summary.md, report.json and bench.svg/png.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchMarkdown } from "./bench-markdown.js";
import { renderBenchPlot } from "./bench-plot.js";
import type { BenchReport } from "./run-bench.js";

export async function writeBenchOutputs(out: string, report: BenchReport): Promise<string[]> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.md"), benchMarkdown(report));
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const { svg, png } = await renderBenchPlot(report);
  writeFileSync(join(dir, "bench.svg"), svg);
  writeFileSync(join(dir, "bench.png"), png);
  return ["summary.md", "report.json", "bench.svg", "bench.png"].map((f) => join(dir, f));
}
