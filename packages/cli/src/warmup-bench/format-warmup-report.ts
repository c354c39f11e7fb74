// warmup-bench's report as text: one row per run (cold, then each warm-up
// threshold). Every latency is simulated (virtual time on the modelled GPUs).

import type { VariantReport, WarmupBenchReport } from "./run-warmup-bench.js";

const COLUMNS = [
  "run",
  "esc. TTFT p50",
  "p90",
  "p99",
  "mean",
  "all large p50",
  "p99",
  "esc. cache hit",
  "asked",
  "started",
  "skipped",
  "hit rate",
  "warm prefill tok",
  "unneeded",
  "unused",
] as const;

function cells(v: VariantReport): string[] {
  const w = v.warmUps;
  const skipped = w.skipped.cached + w.skipped.busy + w.skipped.no_idle_instance + w.skipped.too_short;
  const cold = v.acceptBelow === null;
  return [
    v.name,
    ms(v.escalatedLargeTtftMs.p50),
    ms(v.escalatedLargeTtftMs.p90),
    ms(v.escalatedLargeTtftMs.p99),
    ms(v.escalatedLargeTtftMs.mean),
    ms(v.allLargeTtftMs.p50),
    ms(v.allLargeTtftMs.p99),
    pct(v.escalationsWithCacheHit, v.escalations),
    cold ? "—" : `${w.asked}`,
    cold ? "—" : `${w.started}`,
    cold ? "—" : `${skipped}`,
    cold || w.started === 0 ? "—" : `${(w.precision * 100).toFixed(0)} %`,
    cold ? "—" : w.prefillTokens.toLocaleString("en-US"),
    cold ? "—" : w.unneededPrefillTokens.toLocaleString("en-US"),
    cold ? "—" : w.unusedPrefillTokens.toLocaleString("en-US"),
  ];
}

export function formatWarmupReport(r: WarmupBenchReport): string {
  const rows = r.variants.map(cells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cs: readonly string[]): string => "  " + cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const w = r.workload;
  const c = r.cascade;
  const k = r.cluster;
  const skips = r.variants
    .filter((v) => v.acceptBelow !== null)
    .map((v) => `${v.name}: ${v.warmUps.skipped.cached} already cached, ${v.warmUps.skipped.busy} budget spent, ${v.warmUps.skipped.no_idle_instance} no idle instance, ${v.warmUps.skipped.too_short} too short`);
  return [
    `weir warmup-bench — escalation warm-up on a GSM8K cascade (SIMULATED: virtual time on the modelled GPUs)`,
    `  workload: ${w.rows} ${w.dataset} requests, Poisson ${w.ratePerSecond} req/s over ${w.durationS} s; prompt ${w.meanPromptTokens} tokens on average` +
      `${w.contextTokens > 0 ? ` (${w.contextTokens} of them synthetic context)` : ""}; replayed answers ${w.meanSmallOutputTokens} (small) / ${w.meanLargeOutputTokens} (large) tokens`,
    `  cascade: ${c.startSmall} start small, ${c.startLarge} start large; ${c.escalations} escalations from ${c.judge}`,
    `  router: ${c.router} (${c.artifactsDir})`,
    `  cluster: small ${k.small.instances} × ${k.small.preset}, large ${k.large.instances} × ${k.large.preset}; placement ${k.policy}; warm-up budget ${k.maxWarmUpsInFlight} in flight` +
      `${k.warmUpMaxQueuedPrefill === null ? "" : `; warm-ups only where ≤ ${k.warmUpMaxQueuedPrefill} prompt tokens wait for prefill (the scheduler's warm-up rule, default 0)`}; seed ${k.seed}`,
    "",
    "  esc. TTFT: large-tier time to first token of escalated requests, from the escalation (ms); all large: every large-tier request",
    "  esc. cache hit: escalations that found part of their prompt cached on the large tier",
    "  hit rate: started warm-ups whose request escalated; unneeded: prefill for requests the judge accepted; unused: for escalations placed elsewhere or too early",
    "",
    line(COLUMNS),
    ...rows.map(line),
    ...(skips.length > 0 ? ["", ...skips.map((s) => `  skipped, ${s}`)] : []),
    "",
  ].join("\n");
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)} %`;
}
