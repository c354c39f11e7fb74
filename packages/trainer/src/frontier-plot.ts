import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { TrainReport } from "./train.js";

/** The quality–cost plot of a training report: frontiers and baselines on the held-out split. */
export function frontierSpec(report: TrainReport): TopLevelSpec {
  const curves = Object.entries(report.frontiers).flatMap(([method, pts]) =>
    pts.map((p, order) => ({ method, costRelative: p.costRelative, accuracy: p.accuracy, order })),
  );
  const points = report.methods.map((m) => ({ method: m.method, costRelative: m.costRelative, accuracy: m.accuracy }));
  const strongest = report.methods.find((m) => m.costRelative === 1 && m.relativeAccuracy === 1)?.accuracy ?? 0;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `Weir on ${report.dataset}: accuracy vs cost (held-out split, ${report.rows.test} rows)`,
      subtitle: `lines: frontier over the β × threshold sweep; points: each method at its validation-chosen operating point; dashed: ${report.target} × strongest tier`,
    },
    width: 560,
    height: 380,
    background: "white",
    layer: [
      {
        data: { values: curves },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x: { field: "costRelative", type: "quantitative", title: "cost relative to always using the strongest tier", scale: { domain: [0, 1.05] } },
          y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: { zero: false } },
          color: { field: "method", type: "nominal", title: "method", legend: { labelLimit: 320, orient: "bottom", columns: 2 } },
          order: { field: "order" },
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 90 },
        encoding: {
          x: { field: "costRelative", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
          color: { field: "method", type: "nominal" },
          shape: { field: "method", type: "nominal", legend: null },
          tooltip: [{ field: "method" }, { field: "accuracy" }, { field: "costRelative" }],
        },
      },
      {
        data: { values: [{ y: strongest * report.target }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
    ],
  };
}

/** Renders the plot headlessly: SVG through vega's view.toSVG(), PNG through resvg. */
export async function renderFrontier(report: TrainReport): Promise<{ svg: string; png: Uint8Array }> {
  const vgSpec = compile(frontierSpec(report)).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  return { svg, png };
}
