// --out for --live: summary.md, report.json (every request's record
// included) and bench.svg/png, the virtual mode's plot with a live subtitle.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderPlot } from "../../sim-bench/bench-plots.js";
import { benchSpec } from "../bench-plot.js";
import type { BenchReport } from "../run-bench.js";
import { liveMarkdown } from "./live-markdown.js";
import type { LiveBenchReport } from "./live-report.js";

export async function writeLiveOutputs(out: string, report: LiveBenchReport): Promise<string[]> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.md"), liveMarkdown(report));
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const { svg, png } = await renderPlot(liveSpec(report));
  writeFileSync(join(dir, "bench.svg"), svg);
  writeFileSync(join(dir, "bench.png"), png);
  return ["summary.md", "report.json", "bench.svg", "bench.png"].map((f) => join(dir, f));
}

/**
 * The virtual plot reads only the trace, GPUs, data set, SLO and each
 * deployment's name and figures, which a live report has with the same
 * meaning (model time); the subtitle says it was live.
 */
export function liveSpec(r: LiveBenchReport): ReturnType<typeof benchSpec> {
  const spec = benchSpec(r as unknown as BenchReport);
  return {
    ...spec,
    title: {
      text: `weir bench --live: ${r.trace.requests} requests at ${r.trace.rateScale}× on ${r.gpus} × ${r.gpu.toUpperCase()}`,
      subtitle: `${r.dataset.name} answers; live stack, sim engines at ${r.speedup}× (model time = wall × ${r.speedup}); SLO e2e ≤ ${r.sloMs / 1000} s`,
    },
  };
}
