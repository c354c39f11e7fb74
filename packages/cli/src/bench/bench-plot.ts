// The plot of a bench run: per deployment, simulated e2e p50/p95/p99 (with
// the SLO as a rule) and accuracy, as vega-lite rendered to SVG and PNG by
// sim-bench's renderer.

import type { TopLevelSpec } from "vega-lite";
import { renderPlot } from "../sim-bench/bench-plots.js";
import type { BenchReport } from "./run-bench.js";

export function benchSpec(r: BenchReport): TopLevelSpec {
  const latency = r.deployments.flatMap((d) =>
    (["p50", "p95", "p99"] as const).map((q) => ({ deployment: d.name, percentile: q, seconds: d.figures.e2eMs[q] / 1000 })),
  );
  const accuracy = r.deployments.map((d) => ({ deployment: d.name, accuracy: d.figures.accuracy, rps: d.figures.requestsPerSecond }));
  const order = r.deployments.map((d) => d.name);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `weir bench: ${r.trace.requests} requests at ${r.trace.rateScale}× on ${r.gpus} × ${r.gpu.toUpperCase()}`,
      subtitle: `${r.dataset.name} answers; simulated (virtual time), not measured on GPUs; SLO e2e ≤ ${r.sloMs / 1000} s`,
    },
    background: "white",
    hconcat: [
      {
        width: 320,
        height: 220,
        layer: [
          {
            data: { values: latency },
            mark: { type: "bar" },
            encoding: {
              x: { field: "deployment", type: "nominal", sort: order, title: null },
              xOffset: { field: "percentile", type: "nominal" },
              y: { field: "seconds", type: "quantitative", title: "e2e seconds (simulated)" },
              color: { field: "percentile", type: "nominal", legend: { orient: "bottom" } },
            },
          },
          { data: { values: [{ slo: r.sloMs / 1000 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "black" }, encoding: { y: { field: "slo", type: "quantitative" } } },
        ],
      },
      {
        width: 220,
        height: 220,
        data: { values: accuracy },
        mark: { type: "bar", color: "#59a14f" },
        encoding: {
          x: { field: "deployment", type: "nominal", sort: order, title: null },
          y: { field: "accuracy", type: "quantitative", title: "accuracy vs labels", axis: { format: ".0%" } },
        },
      },
    ],
  };
}

export function renderBenchPlot(r: BenchReport): Promise<{ svg: string; png: Uint8Array }> {
  return renderPlot(benchSpec(r));
}
