// The plot of a rate sweep: each probe's p95 end-to-end latency against the
// offered rate, one line per deployment, with the SLO as a rule — where a
// line crosses the rule is that deployment's sustainable throughput.
// Simulated (virtual time).

import type { TopLevelSpec } from "vega-lite";
import { renderPlot } from "../../sim-bench/bench-plots.js";
import type { RateSweepReport } from "./run-rate-sweep.js";

export function sweepSpec(r: RateSweepReport): TopLevelSpec {
  const points = r.deployments.flatMap((d) =>
    [...d.probes].sort((a, b) => a.scale - b.scale).map((p) => ({ deployment: d.name, rps: p.offeredRequestsPerSecond, p95: p.e2eP95Ms / 1000 })),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: `weir bench --sweep: p95 e2e vs offered rate on ${r.gpus} × ${r.gpu.toUpperCase()}`,
      subtitle: `${r.dataset.name} answers, ${r.trace.file} arrivals; simulated (virtual time), not measured on GPUs; SLO ${r.sloMs / 1000} s`,
    },
    background: "white",
    width: 480,
    height: 280,
    layer: [
      {
        data: { values: points },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "rps", type: "quantitative", scale: { type: "log" }, title: "offered req/s (log)" },
          y: { field: "p95", type: "quantitative", scale: { type: "log" }, title: "p95 e2e seconds (simulated, log)" },
          color: { field: "deployment", type: "nominal", legend: { orient: "right" } },
        },
      },
      { data: { values: [{ slo: r.sloMs / 1000 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "black" }, encoding: { y: { field: "slo", type: "quantitative" } } },
    ],
  };
}

export function renderSweepPlot(r: RateSweepReport): Promise<{ svg: string; png: Uint8Array }> {
  return renderPlot(sweepSpec(r));
}
