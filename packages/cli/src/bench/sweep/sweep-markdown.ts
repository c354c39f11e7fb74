// summary.md (and the text `weir bench --virtual --sweep` prints): each
// deployment's highest sustainable rate, the issue's target, and the
// capacity bounds that explain the result. Simulated figures.

import type { RateSweepReport, SweptDeployment } from "./run-rate-sweep.js";

export function sweepMarkdown(r: RateSweepReport): string {
  const head = [
    `# weir bench --virtual --sweep: highest sustainable rate on ${r.gpus} × ${r.gpu.toUpperCase()} (simulated)`,
    "",
    `**Every latency and throughput below is SIMULATED** (@weir/sim, virtual time), not measured on GPUs. ${r.stats}.`,
    "",
    `- Trace: ${r.trace.file} (${r.trace.baseRequestsPerSecond.toFixed(2)} req/s at 1×); every probe replays ${r.trace.durationS} s of its arrivals at the probed factor (the trace again from its start when it runs out).`,
    `- Data: ${r.dataset.note}.`,
    `- Sustainable: p95 end-to-end ≤ ${r.sloMs} ms over the probe; the rate factor is searched geometrically to within ${(r.tolerance * 100).toFixed(0)}%. Placement ${r.policy}; seed ${r.seed}.`,
    `- Weir re-plans at every probed rate (on the first ${r.trace.planRequests} requests of that probe), --min-quality ${r.minQuality}.`,
    "",
  ];
  const table = [
    "| deployment | instances (at its limit) | max rate factor | sustained req/s | e2e p50/p95/p99 ms at it | accuracy | small / large share | escalated | USD / 1k req |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.deployments.map(row),
  ];
  const notes = [
    "",
    ...r.deployments.map((d) => `- **${d.name}**: ${d.description}. Probes (factor: p95 s): ${d.probes.map((p) => `${p.scale.toFixed(1)}${p.ok ? "" : "✗"}: ${(p.e2eP95Ms / 1000).toFixed(1)}`).join(", ")}.`),
    "",
    `Baseline: **${r.largeOnly}**, the large-only deployment with the highest sustainable rate.`,
    "",
    `**Target** (≥ 3× large-only throughput at the same p95 SLO, ≥ 97% of its accuracy): ${r.target.reading}`,
    "",
    `**Bounds**: ${r.bounds.reading}`,
    "",
  ];
  return [...head, ...table, ...notes].join("\n");
}

function row(d: SweptDeployment): string {
  const f = d.figures;
  const limit = d.maxScale === undefined ? "none" : `${d.capped ? "≥ " : ""}${d.maxScale.toFixed(2)}×`;
  if (f === undefined) return `| ${d.name} | ${d.instances.join(" + ")} | ${limit} | 0 | — | — | — | — | — |`;
  const share = d.shares === undefined ? "—" : `${pct(d.shares.small)} / ${pct(d.shares.large)}`;
  return (
    `| ${d.name} | ${d.instances.join(" + ")} | ${limit} | ${d.capped ? "≥ " : ""}${d.maxRequestsPerSecond.toFixed(1)} | ` +
    `${ms(f.e2eMs.p50)} / ${ms(f.e2eMs.p95)} / ${ms(f.e2eMs.p99)} | ${pct(f.accuracy)} | ${share} | ${pct(f.escalationRate)} | ${(f.costUsdPerRequest * 1000).toFixed(3)} |`
  );
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ms(x: number): string {
  return Number.isFinite(x) ? x.toFixed(0) : "—";
}
