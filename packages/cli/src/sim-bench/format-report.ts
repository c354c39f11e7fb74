// sim-bench's report as text for a terminal. Every figure says whether it is
// simulated (virtual time on the modelled GPUs) or wall clock (this machine).

import type { Distribution } from "@weir/sim";
import { cpus } from "node:os";
import type { SimBenchReport } from "./run-sim-bench.js";

export function formatSimBenchReport(r: SimBenchReport): string {
  const s = r.simulated;
  const w = r.wallClock;
  const rate = r.rateScale === 1 ? "" : `, arrivals ×${r.rateScale}`;
  const lines = [
    `weir sim-bench — ${r.trace}`,
    `  ${r.requests.toLocaleString("en-US")} requests on ${r.instances} × ${r.preset}, ${r.policy} placement${rate}, seed ${r.seed}`,
    "",
    "simulated (virtual time on the modelled GPUs):",
    `  completed        ${s.completed.toLocaleString("en-US")}${r.refused > 0 ? ` (${r.refused} refused: longer than the context or KV cache)` : ""} in ${s.durationS.toFixed(1)} s`,
    `  TTFT             ${dist(s.ttftMs)}`,
    `  TPOT             ${dist(s.tpotMs)}`,
    `  e2e latency      ${dist(s.e2eMs)}`,
    `  prefix-hit rate  ${(s.prefixHitRate * 100).toFixed(1)} % of prompt tokens`,
    `  throughput       ${s.requestsPerSecond.toFixed(2)} req/s, ${round(s.outputTokensPerSecond)} output tok/s, ${round(s.promptTokensPerSecond)} prompt tok/s`,
    `  preemptions      ${s.preemptions}`,
    `  per instance     ${s.requestsPerInstance.join(" / ")} requests`,
    "",
    `wall clock (this machine, ${cpus().length} cores):`,
    `  load trace       ${w.loadS.toFixed(2)} s`,
    `  simulate         ${w.simulateS.toFixed(2)} s`,
    `  peak RSS         ${w.peakRssMiB.toFixed(0)} MiB`,
  ];
  return lines.join("\n") + "\n";
}

function dist(d: Distribution): string {
  return `p50 ${ms(d.p50)}  p99 ${ms(d.p99)}  (mean ${ms(d.mean)})`;
}

function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 100 ? 1 : 0)} ms`;
}

function round(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}
