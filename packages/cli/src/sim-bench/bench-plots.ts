// sim-bench's plots: simulated latency per policy across arrival-rate
// scales (TTFT p50/p99, e2e p50/p99), as vega-lite, rendered headlessly to
// SVG (vega's view.toSVG) and PNG (resvg), as the trainer's frontier plot is.

import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { type TopLevelSpec, compile } from "vega-lite";
import type { PlacementPolicyName } from "@weir/placement";
import type { SimBenchReport } from "./run-sim-bench.js";

/** One colour per policy in every plot, whichever policies a run compares (Tableau 10). */
const POLICY_COLOURS: Record<PlacementPolicyName, string> = {
  "round-robin": "#e15759",
  "least-loaded": "#4e79a7",
  "prefix-aware": "#f28e2b",
  "length-aware": "#59a14f",
  "prefix-length-aware": "#b07aa1",
};

const METRICS = [
  ["TTFT p50", (r: SimBenchReport["runs"][number]) => r.simulated.ttftMs.p50],
  ["TTFT p99", (r: SimBenchReport["runs"][number]) => r.simulated.ttftMs.p99],
  ["e2e p50", (r: SimBenchReport["runs"][number]) => r.simulated.e2eMs.p50],
  ["e2e p99", (r: SimBenchReport["runs"][number]) => r.simulated.e2eMs.p99],
] as const;

/** Four panels (TTFT and e2e, p50 and p99), seconds on a log axis, one line per policy. */
export function latencySpec(report: SimBenchReport): TopLevelSpec {
  const values = report.runs.flatMap((run) =>
    METRICS.map(([metric, get]) => ({ policy: run.policy, rateScale: run.rateScale, metric, seconds: Math.max(get(run) / 1000, 1e-3) })),
  );
  const trace = report.trace.split(/[\\/]/).pop() ?? report.trace;
  const policies = [...new Set(report.runs.map((r) => r.policy))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `Placement policies on ${trace}: simulated latency vs arrival rate`,
      subtitle: `${report.instances} × ${report.preset}, seed ${report.seed}; simulated (virtual time), not measured on GPUs`,
    },
    background: "white",
    data: { values },
    facet: { field: "metric", type: "nominal", title: null, sort: METRICS.map(([m]) => m) },
    columns: 2,
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 300,
      height: 200,
      mark: { type: "line", point: true, strokeWidth: 2 },
      encoding: {
        x: { field: "rateScale", type: "quantitative", title: "arrival rate × trace", scale: { zero: false } },
        y: { field: "seconds", type: "quantitative", title: "seconds (log)", scale: { type: "log" } },
        color: {
          field: "policy",
          type: "nominal",
          title: "policy",
          legend: { orient: "bottom" },
          scale: { domain: policies, range: policies.map((p) => POLICY_COLOURS[p]) },
        },
        tooltip: [{ field: "policy" }, { field: "rateScale" }, { field: "metric" }, { field: "seconds", format: ".3f" }],
      },
    },
  };
}

/** Renders a spec headlessly: SVG, and PNG at 2× through resvg. */
export async function renderPlot(spec: TopLevelSpec): Promise<{ svg: string; png: Uint8Array }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  return { svg, png };
}
