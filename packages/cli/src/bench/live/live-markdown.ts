// summary.md (and what `weir bench --live` prints): the virtual mode's
// table in model time, then what was measured on the wall clock, the
// errors and who answered.

import type { Percentiles } from "../bench-figures.js";
import type { LiveBenchReport } from "./live-report.js";

export function liveMarkdown(r: LiveBenchReport): string {
  const head = [
    `# weir bench --live: ${r.gpus} × ${r.gpu.toUpperCase()} (live stack, sim engines at ${r.speedup}×)`,
    "",
    `Every service ran as a process (gateway, router, qe-judge, scheduler, kv-cache-manager, model-workers) on its own NATS; the engines are @weir/sim at ${r.speedup}× the modelled GPUs' real time. ${r.stats}.`,
    `**Times below are model time = wall clock × ${r.speedup}**: the stack's own per-hop overhead (HTTP, NATS, gRPC, judge, scheduler) is scaled by the same factor. The measured wall-clock figures follow the table.`,
    "",
    `- Trace: ${r.trace.file}, first ${r.trace.requests} requests at ${r.trace.rateScale}× (${r.trace.requestsPerSecond.toFixed(2)} req/s over ${r.trace.spanS.toFixed(0)} s of model time), sent open loop at arrival / ${r.speedup}.`,
    `- Data: ${r.dataset.note}; trace request i ↔ row i mod ${r.dataset.rows}; accuracy = the recorded label of the model column the answering tier replays; a failed request counts as a miss for SLO attainment and accuracy.`,
    `- Routing artifact: ${r.artifacts}; placement policy ${r.policy}; seed ${r.seed}; SLO: e2e ≤ ${r.sloMs} ms; client deadline ${r.deadlineMs} ms (model time).`,
    ...(r.weir === undefined
      ? []
      : [`- Weir: ${r.weir.knob} (planned quality ${pct(r.weir.quality)} of the strongest tier; planned deployment ${r.weir.plannedDeployment.join(", ")}; ${r.weir.budget}; --min-quality ${r.minQuality}).`]),
    `- Cost: ${r.prices}.`,
    "",
  ];
  const p = (x: Percentiles): string => `${ms(x.p50)} / ${ms(x.p95)} / ${ms(x.p99)}`;
  const table = [
    "| deployment | instances | SLO att. | req/s | out tok/s | TTFT p50/p95/p99 ms | TPOT p50/p95/p99 ms | e2e p50/p95/p99 ms | accuracy | escalated | USD / 1k req | errors |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.deployments.map((d) => {
      const f = d.figures;
      const errors = d.live.sent - d.live.completed;
      return (
        `| ${d.name} | ${d.instances.join(" + ")} | ${pct(f.sloAttainment)} | ${f.requestsPerSecond.toFixed(2)} | ${f.outputTokensPerSecond.toFixed(0)} | ` +
        `${p(f.ttftMs)} | ${p(f.tpotMs)} | ${p(f.e2eMs)} | ${pct(f.accuracy)} | ${pct(f.escalationRate)} | ${(f.costUsdPerRequest * 1000).toFixed(3)} | ${errors} |`
      );
    }),
  ];
  const wall = [
    "",
    `Measured on the wall clock (SLO scaled to ${ms(r.sloMs / r.speedup)} ms):`,
    "",
    "| deployment | startup / warm-up s | replay s | req/s | TTFT p50/p95/p99 ms | e2e p50/p95/p99 ms | answered by | errors | send lag p99 / max ms |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.deployments.map((d) => {
      const w = d.live.wall;
      const by = Object.entries(d.live.answeredBy).map(([t, n]) => `${t} ${n}`).join(", ") || "—";
      const errs = Object.entries(d.live.errors).map(([k, n]) => `${k} × ${n}`).join(", ") || "none";
      return (
        `| ${d.name} | ${d.startupS.toFixed(1)} / ${d.warmUpS.toFixed(1)} | ${d.replayS.toFixed(1)} | ${w.requestsPerSecond.toFixed(2)} | ${p(w.ttftMs)} | ${p(w.e2eMs)} | ${by} | ${errs} | ` +
        `${ms(d.live.sendLagMs.p99)} / ${ms(d.live.sendLagMs.max)} |`
      );
    }),
  ];
  const notes = [
    "",
    ...r.deployments.map((d) => {
      const extra = [...d.notes, ...(d.live.notReplayed > 0 ? [`${d.live.notReplayed} answers were not the tier's recorded answer (graded by its label anyway)`] : [])];
      return `- **${d.name}**: ${d.description}${extra.length === 0 ? "" : `; live: ${extra.join("; ")}`}.`;
    }),
    "",
    "TTFT is the first content token the client got: the judged rungs stream buffered (the gateway's default), so an answer the judge accepts arrives after the whole small generation and the judge, and its TPOT is that of the burst; single-tier deployments stream token by token. e2e is send → end of stream. req/s and out tok/s count completed requests; escalation and cost are over completed requests.",
    "",
    ...(r.target === undefined ? [] : [`**Target** (≥ 3× large-only throughput at the same p95 SLO, ≥ 97% of its accuracy): ${r.target.reading}`, ""]),
    `Wall clock: ${r.wallClockS.toFixed(1)} s.`,
    "",
  ];
  return [...head, ...table, ...wall, ...notes].join("\n");
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ms(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "—" : x >= 100 ? x.toFixed(0) : x.toFixed(1);
}
