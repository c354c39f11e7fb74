// kv-precision-bench's report as a table for a terminal: one column per KV
// precision. Simulated figures (virtual time on the modelled GPUs) and wall
// clock (this machine) are kept apart and labelled.

import { cpus } from "node:os";
import type { KvPrecisionBenchReport, PrecisionRun } from "./run-kv-precision-bench.js";

export function formatKvPrecisionBenchReport(r: KvPrecisionBenchReport): string {
  const rate = r.rateScale === 1 ? "" : `, arrivals ×${r.rateScale}`;
  const memory = r.kvCapacityTokens === undefined ? "" : `, KV memory of ${count(r.kvCapacityTokens)} 16-bit tokens`;
  const row = (label: string, cell: (run: PrecisionRun) => string): string =>
    `  ${label.padEnd(28)}${r.runs.map((run) => cell(run).padStart(16)).join("")}`;
  const lines = [
    `weir kv-precision-bench — ${r.trace}`,
    `  ${count(r.requests)} requests on ${r.instances} × ${r.preset}, ${r.policy} placement${rate}${memory}, ` +
      `${r.anchorBlocks} anchor blocks, seed ${r.seed}`,
    ...(r.refused > 0 ? [`  ${r.refused} refused in every run: longer than the context or KV cache`] : []),
    "",
    "simulated (virtual time on the modelled GPUs; answer quality is not modelled):",
    row("", (run) => run.kvPrecision),
    row("KV blocks / instance (16-bit)", (run) => count(run.capacity.blocksTotal)),
    row(`KV tokens / instance*`, (run) => count(run.capacity.tokensAtMeanLength)),
    row("capacity gain", (run) => `${run.capacity.gain.toFixed(2)} ×`),
    row("prefix-hit rate", (run) => `${(run.simulated.prefixHitRate * 100).toFixed(1)} %`),
    row("TTFT p50", (run) => ms(run.simulated.ttftMs.p50)),
    row("TTFT p99", (run) => ms(run.simulated.ttftMs.p99)),
    row("TPOT p50", (run) => ms(run.simulated.tpotMs.p50)),
    row("e2e p99", (run) => ms(run.simulated.e2eMs.p99)),
    row("preemptions", (run) => count(run.simulated.preemptions)),
    row("throughput, req/s", (run) => run.simulated.requestsPerSecond.toFixed(2)),
    row("throughput, output tok/s", (run) => count(Math.round(run.simulated.outputTokensPerSecond))),
    row("completed", (run) => count(run.simulated.completed)),
    `  * filled with sequences of the trace's mean length, ${count(Math.round(r.meanSequenceTokens))} tokens (prompt + output)`,
    "",
    `wall clock (this machine, ${cpus().length} cores):`,
    `  load trace ${r.wallClock.loadS.toFixed(2)} s; simulate ${r.runs.map((run) => `${run.kvPrecision} ${run.wallClockS.toFixed(1)} s`).join(", ")}; ` +
      `peak RSS ${r.wallClock.peakRssMiB.toFixed(0)} MiB`,
  ];
  return lines.join("\n") + "\n";
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 100 ? 1 : 0)} ms`;
}
