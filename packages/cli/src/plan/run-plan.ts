// `weir plan` without the command line: loads the artifact, the labelled
// data and the trace, runs the planner's outer level and assembles the
// report. Kept apart from the command so tests can call it.

import { type TraceRequest, loadTrace, scaleTrace } from "@weir/datasets";
import {
  type CascadeKnob,
  type Deployment,
  LatencyCache,
  TierLatencyModel,
  defaultKnobs,
  planCascade,
  singleTierKnobs,
  scoreCascade,
  standInsFor,
} from "@weir/planner";
import { RoutingModel, loadArtifact } from "@weir/routing";
import { loadDatasetSpecs } from "@weir/trainer";
import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import { type PlanReport, candidateRow } from "./plan-report.js";

export interface RunPlanOptions {
  gpus: number;
  gpu: string;
  tracePath: string;
  dataset: readonly string[];
  artifacts: string;
  minQuality: number;
  rateScale: number;
  /** The trace's first N requests. */
  requests: number;
  sloE2eMs?: number;
  betaCount: number;
  thresholdShifts: readonly number[];
  /** Explicit βs (replace the distinct-assignment grid). */
  betas?: readonly number[];
  cacheFile?: string;
  tensorParallelDegrees?: readonly number[];
  /** Re-plan from the deployment running now (weir plan --apply reads it from weir_deployment). */
  current?: Deployment;
  onPlan?: (done: number, total: number) => void;
}

export interface RunPlanResult {
  report: PlanReport;
}

export async function runPlan(o: RunPlanOptions): Promise<RunPlanResult> {
  const t0 = performance.now();
  const artifact = loadArtifact(o.artifacts);
  const model = new RoutingModel(artifact);
  const dataset = loadDatasetSpecs(o.dataset);
  const cascade = await scoreCascade(model, dataset);
  const simModels = standInsFor(cascade.tiers);
  const trace: TraceRequest[] = scaleTrace(loadTrace(o.tracePath).slice(0, o.requests), { rate: o.rateScale });
  if (trace.length === 0) throw new Error(`${o.tracePath} has no requests`);
  const knobs: CascadeKnob[] =
    o.betas === undefined
      ? defaultKnobs(cascade, { betaCount: o.betaCount, thresholdShifts: o.thresholdShifts })
      : [
          ...o.betas.flatMap((beta) => o.thresholdShifts.map((thresholdShift) => ({ beta, thresholdShift }))),
          ...singleTierKnobs(cascade.tiers.length),
        ];
  const latencyModel = new TierLatencyModel({ cache: new LatencyCache(o.cacheFile) });
  const result = await planCascade({
    gpus: o.gpus,
    gpu: o.gpu,
    trace,
    cascade,
    simModels,
    minQuality: o.minQuality,
    knobs,
    latencyModel,
    ...(o.sloE2eMs === undefined ? {} : { slo: { e2eMs: o.sloE2eMs } }),
    ...(o.tensorParallelDegrees === undefined ? {} : { tensorParallelDegrees: o.tensorParallelDegrees }),
    ...(o.current === undefined ? {} : { current: o.current }),
    ...(o.onPlan === undefined ? {} : { onPlan: o.onPlan }),
  });
  const tiers = cascade.tiers.map((name, i) => ({ name, artifactModel: artifact.tiers[i]!.model, simModel: simModels[i]! }));
  const rows = result.candidates.map((c, i) => candidateRow(c, i, result, tiers));
  const spanS = trace.at(-1)!.arrivalMs / 1000;
  return {
    report: {
      simulated: true,
      gpus: o.gpus,
      gpu: o.gpu,
      trace: { file: relative(process.cwd(), o.tracePath) || o.tracePath, requests: trace.length, rateScale: o.rateScale, spanS, requestsPerSecond: spanS > 0 ? trace.length / spanS : 0 },
      dataset: { name: dataset.name, rows: dataset.rows.length },
      artifacts: o.artifacts,
      minQuality: o.minQuality,
      sloE2eMs: o.sloE2eMs,
      strongestAccuracy: result.strongestAccuracy,
      chosen: result.chosen === undefined ? undefined : rows[result.chosen],
      front: result.front.map((i) => rows[i]!),
      candidates: rows,
      simulations: result.simulations,
      cacheHits: result.cacheHits,
      ...(o.current === undefined ? {} : { replannedFrom: describeDeployment(o.current) }),
      wallClockS: (performance.now() - t0) / 1000,
    },
  };
}

/** "small TP2 × 2, large TP4 × 1 on H100". */
export function describeDeployment(d: Deployment): string {
  const tiers = d.tiers.filter((t) => t.replicas > 0).map((t) => `${t.name} TP${t.tensorParallel} × ${t.replicas}`);
  return `${tiers.length === 0 ? "no workers" : tiers.join(", ")} on ${d.gpu.toUpperCase()}`;
}
