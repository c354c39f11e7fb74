// What `weir plan` prints and writes: the chosen plan and every candidate as
// plain JSON (report.json), and markdown tables of the plan and the front.
// Every latency is simulated (@weir/sim, virtual time, stand-in models).

import type { CascadeCandidate, CascadePlanResult } from "@weir/planner";

export interface PlanTierRow {
  tier: string;
  /** The artifact's model (recorded answers) and the sim model standing in for it. */
  artifactModel: string;
  simModel: string;
  requests: number;
  trafficShare: number;
  gpus: number;
  tensorParallel: number;
  replicas: number;
  /** Simulated, ms; undefined for a tier without traffic. */
  ttftP95Ms: number | undefined;
  e2eP50Ms: number | undefined;
  e2eP95Ms: number | undefined;
  sloAttainment: number | undefined;
  /** GPUs started, stopped or reloaded from the running deployment (re-planning; all of the tier's on a first plan). */
  movedGpus: number;
}

export interface PlanCandidateRow {
  /** Set when one tier serves everything (a single-tier baseline); β and the shift are then unused. */
  onlyTier?: string;
  beta: number;
  thresholdShift: number;
  quality: number;
  accuracy: number;
  /** Worst tier's p95 e2e, simulated. */
  latencyMs: number | undefined;
  onFront: boolean;
  /** Weights on latency whose Tchebycheff minimiser this is. */
  tchebycheffWeights: number[];
  tiers: PlanTierRow[];
  skipped?: string;
}

export interface PlanReport {
  simulated: true;
  gpus: number;
  gpu: string;
  trace: { file: string; requests: number; rateScale: number; spanS: number; requestsPerSecond: number };
  dataset: { name: string; rows: number };
  artifacts: string;
  minQuality: number;
  sloE2eMs: number | undefined;
  /** Accuracy of the strongest tier alone on the data set; quality = accuracy / this. */
  strongestAccuracy: number;
  chosen: PlanCandidateRow | undefined;
  front: PlanCandidateRow[];
  candidates: PlanCandidateRow[];
  simulations: number;
  cacheHits: number;
  /** Re-planning: the deployment that was running, as one line; undefined for a fresh plan. */
  replannedFrom?: string;
  wallClockS: number;
}

export function candidateRow(
  c: CascadeCandidate,
  index: number,
  result: CascadePlanResult,
  tiers: readonly { name: string; artifactModel: string; simModel: string }[],
): PlanCandidateRow {
  return {
    ...(c.knob.onlyTier === undefined ? {} : { onlyTier: tiers[c.knob.onlyTier]!.name }),
    beta: c.knob.beta,
    thresholdShift: c.knob.thresholdShift,
    quality: c.quality,
    accuracy: c.accuracy,
    latencyMs: c.latencyMs,
    onFront: result.front.includes(index),
    tchebycheffWeights: result.sweep.filter((s) => s.candidate === index).map((s) => s.weight),
    tiers: tiers.map((t, i) => {
      const p = c.plan?.tiers.find((x) => x.name === t.name);
      return {
        tier: t.name,
        artifactModel: t.artifactModel,
        simModel: t.simModel,
        requests: c.tierRequests[i]!,
        trafficShare: c.trafficShare[i]!,
        gpus: p?.option?.gpus ?? 0,
        tensorParallel: p?.option?.tensorParallel ?? 0,
        replicas: p?.option?.replicas ?? 0,
        ttftP95Ms: p?.latency?.ttftMs.p95,
        e2eP50Ms: p?.latency?.e2eMs.p50,
        e2eP95Ms: p?.latency?.e2eMs.p95,
        sloAttainment: p?.latency?.sloAttainment,
        movedGpus: p?.movedGpus ?? 0,
      };
    }),
    ...(c.skipped === undefined ? {} : { skipped: c.skipped }),
  };
}

export function formatPlanTable(row: PlanCandidateRow): string {
  const lines = [
    "| tier | served by (simulated) | GPUs | TP × replicas | traffic share | TTFT p95 ms | e2e p50 / p95 ms | SLO att. |",
    "|---|---|---|---|---|---|---|---|",
    ...row.tiers.map(
      (t) =>
        `| ${t.tier} (${t.artifactModel}) | ${t.simModel} | ${t.gpus} | ${t.gpus === 0 ? "—" : `TP${t.tensorParallel} × ${t.replicas}`} | ` +
        `${pct(t.trafficShare)} | ${ms(t.ttftP95Ms)} | ${ms(t.e2eP50Ms)} / ${ms(t.e2eP95Ms)} | ${t.sloAttainment === undefined ? "—" : pct(t.sloAttainment)} |`,
    ),
  ];
  return `${lines.join("\n")}\n${knobLabel(row)}: accuracy ${pct(row.accuracy)}, quality ${pct(row.quality)} of the strongest tier, worst tier p95 e2e ${ms(row.latencyMs)} ms (simulated)`;
}

export function formatFrontTable(rows: readonly PlanCandidateRow[], chosen: PlanCandidateRow | undefined): string {
  const tiers = rows[0]?.tiers.map((t) => t.tier) ?? [];
  return [
    `| knob | quality | accuracy | worst p95 e2e ms (sim.) | ${tiers.map((t) => `${t}: share, TP × replicas`).join(" | ")} | Tchebycheff weights |`,
    `|---|---|---|---|${tiers.map(() => "---").join("|")}|---|`,
    ...rows.map(
      (r) =>
        `| ${knobLabel(r)}${r === chosen ? " ◀ chosen" : ""} | ${pct(r.quality)} | ${pct(r.accuracy)} | ${ms(r.latencyMs)} | ` +
        `${r.tiers.map((t) => `${pct(t.trafficShare)}, ${t.gpus === 0 ? "—" : `TP${t.tensorParallel}×${t.replicas}`}`).join(" | ")} | ` +
        `${r.tchebycheffWeights.length === 0 ? "—" : r.tchebycheffWeights.map((w) => w.toFixed(1)).join(", ")} |`,
    ),
  ].join("\n");
}

/** "β = 0.1368, threshold shift +0.1", or "small only" for a single-tier baseline. */
export function knobLabel(row: PlanCandidateRow): string {
  return row.onlyTier !== undefined ? `${row.onlyTier} only` : `β = ${row.beta.toFixed(4)}, threshold shift ${signed(row.thresholdShift)}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function ms(x: number | undefined): string {
  return x === undefined ? "—" : x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function signed(x: number): string {
  return x === 0 ? "0" : x > 0 ? `+${x}` : String(x);
}
