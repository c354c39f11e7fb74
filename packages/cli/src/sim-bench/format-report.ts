// sim-bench's report as text for a terminal: one table row per (rate,
// policy). Every figure says whether it is simulated (virtual time on the
// modelled GPUs) or wall clock (this machine).

import type { Distribution } from "@weir/sim";
import { cpus } from "node:os";
import type { SimBenchReport, SimBenchRun } from "./run-sim-bench.js";

const COLUMNS = [
  "rate ×",
  "policy",
  "done",
  "TTFT p50",
  "TTFT p99",
  "e2e p50",
  "e2e p99",
  "TPOT p50",
  "prefix hits",
  "req/s",
  "out tok/s",
  "preempt",
  "migrate",
  "wall s",
] as const;

/** The cells of one run, in COLUMNS order (shared with the markdown summary). */
export function runCells(r: SimBenchRun): string[] {
  const s = r.simulated;
  return [
    `${r.rateScale}`,
    r.policy,
    `${s.completed}${r.refused > 0 ? ` (+${r.refused} refused)` : ""}`,
    ms(s.ttftMs.p50),
    ms(s.ttftMs.p99),
    ms(s.e2eMs.p50),
    ms(s.e2eMs.p99),
    ms(s.tpotMs.p50),
    `${(s.prefixHitRate * 100).toFixed(1)} %`,
    s.requestsPerSecond.toFixed(2),
    round(s.outputTokensPerSecond),
    `${s.preemptions}`,
    `${s.migrations}`,
    r.wallClock.simulateS.toFixed(1),
  ];
}

export const RUN_COLUMNS: readonly string[] = COLUMNS;

export function formatSimBenchReport(r: SimBenchReport): string {
  const rows = r.runs.map(runCells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => "  " + cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const w = r.wallClock;
  const out = [
    `weir sim-bench — ${r.trace}`,
    `  ${r.requests.toLocaleString("en-US")} requests (${r.baseArrivalRate.toFixed(2)} req/s at ×1) on ${r.instances} × ${r.preset}, seed ${r.seed}` +
      (r.runs.some((x) => x.policy.includes("length")) ? `, migration ${r.migration ? "on" : "off"}${r.oracleOutputLengths ? ", oracle output lengths" : ""}` : ""),
    "",
    "simulated (virtual time on the modelled GPUs; wall s = this machine):",
    line(COLUMNS),
  ];
  let lastRate: number | undefined;
  r.runs.forEach((run, i) => {
    if (lastRate !== undefined && run.rateScale !== lastRate) out.push("");
    lastRate = run.rateScale;
    out.push(line(rows[i]!));
  });
  const refusals = r.runs.filter((x) => x.placementRefusals > 0);
  if (refusals.length > 0) {
    out.push("", ...refusals.map((x) => `  ${x.policy} ×${x.rateScale}: ${x.placementRefusals} placements refused by the policy, sent to the least-loaded instance`));
  }
  out.push(
    "",
    `wall clock (this machine, ${cpus().length} cores): load trace ${w.loadS.toFixed(2)} s, simulate ${w.simulateS.toFixed(1)} s, peak RSS ${w.peakRssMiB.toFixed(0)} MiB`,
  );
  return out.join("\n") + "\n";
}

/** One distribution in a sentence, for notes. */
export function formatDistribution(d: Distribution): string {
  return `p50 ${ms(d.p50)}  p99 ${ms(d.p99)}  (mean ${ms(d.mean)})`;
}

export function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 100 ? 1 : 0)} ms`;
}

function round(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}
