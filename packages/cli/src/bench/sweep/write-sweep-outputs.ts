// --out with --sweep: summary.md, report.json and sweep.svg/png.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RateSweepReport } from "./run-rate-sweep.js";
import { sweepMarkdown } from "./sweep-markdown.js";
import { renderSweepPlot } from "./sweep-plot.js";

export async function writeSweepOutputs(out: string, report: RateSweepReport): Promise<string[]> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.md"), sweepMarkdown(report));
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const { svg, png } = await renderSweepPlot(report);
  writeFileSync(join(dir, "sweep.svg"), svg);
  writeFileSync(join(dir, "sweep.png"), png);
  return ["summary.md", "report.json", "sweep.svg", "sweep.png"].map((f) => join(dir, f));
}
