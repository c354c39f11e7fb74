// The front as a picture: every planned candidate (quality vs the worst
// tier's simulated p95 latency), the Pareto front as a line, the chosen plan
// ringed, the quality bound dashed. Rendered headlessly like the trainer's
// frontier plot: vega-lite → vega SVG → resvg PNG.

import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { type PlanReport, knobLabel } from "./plan-report.js";

export function planPlotSpec(report: PlanReport): TopLevelSpec {
  const planned = report.candidates.filter((c) => c.latencyMs !== undefined);
  const point = (c: (typeof planned)[number]) => ({
    latencyS: c.latencyMs! / 1000,
    quality: c.quality,
    label: knobLabel(c),
    kind: c.onFront ? "Pareto front" : "dominated",
  });
  const chosen = report.chosen?.latencyMs === undefined ? [] : [point(report.chosen)];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `weir plan: ${report.gpus}× ${report.gpu.toUpperCase()}, ${report.dataset.name} answers, ${report.trace.requests} trace requests at ${report.trace.requestsPerSecond.toFixed(1)} req/s`,
      subtitle: [
        "latency simulated (@weir/sim, virtual time, stand-in models); quality: accuracy relative to the strongest tier",
        "on the labelled answers; line: Pareto front; ringed: the plan; dashed: --min-quality",
      ],
    },
    width: 560,
    height: 360,
    background: "white",
    layer: [
      {
        data: { values: planned.filter((c) => c.onFront).map(point).sort((a, b) => a.latencyS - b.latencyS) },
        mark: { type: "line", interpolate: "step-after", color: "#4c78a8" },
        encoding: {
          x: { field: "latencyS", type: "quantitative", title: "worst tier's p95 end-to-end latency, s (simulated)", scale: { zero: false } },
          y: { field: "quality", type: "quantitative", title: "quality (accuracy / strongest tier's)", scale: { zero: false } },
        },
      },
      {
        data: { values: planned.map(point) },
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x: { field: "latencyS", type: "quantitative" },
          y: { field: "quality", type: "quantitative" },
          color: { field: "kind", type: "nominal", title: null, scale: { domain: ["Pareto front", "dominated"], range: ["#4c78a8", "#bbbbbb"] } },
          tooltip: [{ field: "label" }, { field: "latencyS" }, { field: "quality" }],
        },
      },
      {
        data: { values: chosen },
        mark: { type: "point", size: 320, strokeWidth: 2.5, color: "#e45756" },
        encoding: { x: { field: "latencyS", type: "quantitative" }, y: { field: "quality", type: "quantitative" } },
      },
      {
        data: { values: [{ y: report.minQuality }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
    ],
  };
}

export async function renderPlanPlot(report: PlanReport): Promise<{ svg: string; png: Uint8Array }> {
  const view = new vega.View(vega.parse(compile(planPlotSpec(report)).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  return { svg, png };
}
