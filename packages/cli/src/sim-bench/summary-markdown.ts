// sim-bench's report as a markdown page (summary.md of --out): the run's
// setup and one table row per (rate, policy), the same cells as the
// terminal table.

import { RUN_COLUMNS, runCells } from "./format-report.js";
import type { SimBenchReport } from "./run-sim-bench.js";

export function simBenchMarkdown(r: SimBenchReport, command?: string): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  const lines = [
    `# weir sim-bench: ${basename(r.trace)}`,
    "",
    `${r.requests.toLocaleString("en-US")} requests (${r.baseArrivalRate.toFixed(2)} req/s at rate ×1) on ${r.instances} × ${r.preset}, seed ${r.seed}` +
      `; length-aware migration ${r.migration ? "on" : "off"}${r.oracleOutputLengths ? "; oracle output lengths" : ""}.`,
    "",
    "All latency and throughput figures are **simulated** (virtual time on the modelled GPUs, roofline step times); `wall s` is what simulating the run took on this machine.",
    "",
  ];
  if (command !== undefined) lines.push("```", command, "```", "");
  lines.push(`| ${RUN_COLUMNS.join(" | ")} |`, `| ${RUN_COLUMNS.map((_, i) => (i <= 1 ? "---" : "---:")).join(" | ")} |`);
  for (const run of r.runs) lines.push(`| ${runCells(run).map(esc).join(" | ")} |`);
  lines.push("");
  return lines.join("\n");
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
