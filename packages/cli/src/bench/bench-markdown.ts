// summary.md (and the text `weir bench` prints): the deployments side by
// side, and what the run says about the target. Simulated figures.

import type { BenchReport } from "./run-bench.js";

export function benchMarkdown(r: BenchReport): string {
  const head = [
    `# weir bench --virtual: ${r.gpus} × ${r.gpu.toUpperCase()} (simulated)`,
    "",
    `**Every latency and throughput below is SIMULATED** (@weir/sim, virtual time), not measured on GPUs. ${r.stats}.`,
    "",
    `- Trace: ${r.trace.file}, first ${r.trace.requests} requests at ${r.trace.rateScale}× (${r.trace.requestsPerSecond.toFixed(2)} req/s over ${r.trace.spanS.toFixed(0)} s).`,
    `- Data: ${r.dataset.note}; trace request i ↔ row i mod ${r.dataset.rows}; ${r.lengths}.`,
    `- Routing artifact: ${r.artifacts}; placement policy ${r.policy}; seed ${r.seed}; SLO: e2e ≤ ${r.sloMs} ms.`,
    `- Weir: ${r.weir.knob} (quality ${pct(r.weir.quality)} of the strongest tier; planner's worst-tier p95 ${ms(r.weir.plannedWorstP95Ms)} ms; planned deployment ${r.weir.plannedDeployment.join(", ")}; ${r.weir.planned} knob settings planned, ${r.weir.front} on the front; --min-quality ${r.minQuality}).`,
    `- Cost: ${r.prices}.`,
    "",
  ];
  const table = [
    "| deployment | instances | SLO att. | req/s | out tok/s | TTFT p50/p95/p99 ms | TPOT p50/p95/p99 ms | e2e p50/p95/p99 ms | accuracy | escalated | USD / 1k req |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.deployments.map((d) => {
      const f = d.figures;
      const p = (x: { p50: number; p95: number; p99: number }): string => `${ms(x.p50)} / ${ms(x.p95)} / ${ms(x.p99)}`;
      return (
        `| ${d.name} | ${d.instances.join(" + ")} | ${pct(f.sloAttainment)} | ${f.requestsPerSecond.toFixed(2)} | ${f.outputTokensPerSecond.toFixed(0)} | ` +
        `${p(f.ttftMs)} | ${p(f.tpotMs)} | ${p(f.e2eMs)} | ${pct(f.accuracy)} | ${pct(f.escalationRate)} | ${(f.costUsdPerRequest * 1000).toFixed(3)} |`
      );
    }),
  ];
  const notes = [
    "",
    ...r.deployments.map((d) => `- **${d.name}**: ${d.description}.`),
    "",
    "TTFT and TPOT are those of the answer the client receives (an escalated request's come from the large tier); e2e spans the whole path (small generation, then large from the escalation). Accuracy grades the delivered answer against the labels (the small model's recorded answer if accepted, the large one's if escalated).",
    "",
    `**Target** (≥ 3× large-only throughput at the same p95 SLO, ≥ 97% of its accuracy): ${r.target.reading}`,
    "",
  ];
  return [...head, ...table, ...notes].join("\n");
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ms(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "—" : x >= 100 ? x.toFixed(0) : x.toFixed(1);
}
