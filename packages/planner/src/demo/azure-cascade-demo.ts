// A small demonstration of the inner level (docs/notes/planner.md): 8 H100s,
// a Llama-3.1-8B tier and a Llama-3.1-70B tier, the Azure 2023 conversation
// trace's arrivals and lengths. Every request starts on the 8B tier; a fixed,
// hashed share escalates to the 70B tier, standing in for fixed thresholds
// (the outer level will take the share from the trained router instead).
// Run after a build:
//   node packages/planner/dist/demo/azure-cascade-demo.js [--requests 3000] [--rate 4]
//     [--escalation 0.1,0.3,0.5] [--gpu h100] [--gpus 8] [--objective min-latency|max-slo-attainment]
//     [--slo-e2e-ms 10000] [--cache FILE]
// Every latency printed is simulated.

import { datasetPath, loadTrace, scaleTrace } from "@weir/datasets";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { InnerObjective } from "../inner-milp.js";
import { LatencyCache } from "../latency-cache.js";
import { DEFAULT_REALLOCATION_COST_PER_GPU, type DeploymentPlan, planDeployment } from "../plan-deployment.js";
import { splitTraffic } from "../split-traffic.js";
import { TierLatencyModel } from "../tier-latency-model.js";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "3000" },
    rate: { type: "string", default: "4" },
    escalation: { type: "string", default: "0.1,0.3,0.5" },
    gpu: { type: "string", default: "h100" },
    gpus: { type: "string", default: "8" },
    objective: { type: "string", default: "min-latency" },
    "slo-e2e-ms": { type: "string", default: "10000" },
    cache: { type: "string" },
  },
});
const requests = Number(args.requests);
const rate = Number(args.rate);
const escalationRates = args.escalation.split(",").map(Number);
const gpu = args.gpu;
const gpus = Number(args.gpus);
const objective = args.objective as InnerObjective;
const trace = scaleTrace(loadTrace(datasetPath("traces/azure_llm_2023_conv.csv")).slice(0, requests), { rate });
const spanS = trace.at(-1)!.arrivalMs / 1000;
const slo = { e2eMs: Number(args["slo-e2e-ms"]) };
const latencyModel = new TierLatencyModel({ cache: new LatencyCache(args.cache) });

console.log(`Azure conversation trace: first ${trace.length} requests at ${rate}× rate: ${spanS.toFixed(0)} s, ${(trace.length / spanS).toFixed(1)} req/s`);
console.log(
  `${gpus}× ${gpu.toUpperCase()}; objective ${objective} (latency: p95 end-to-end of the worst tier); ` +
    `SLO e2e ≤ ${slo.e2eMs / 1000} s. All latencies simulated.\n`,
);

// Escalate request i when a fixed hash of i falls under the rate: the same requests escalate in every run.
const escalates = (i: number, share: number): boolean => ((Math.imul(i + 1, 0x9e3779b1) >>> 0) / 2 ** 32) < share;

let previous: DeploymentPlan | undefined;
for (const share of escalationRates) {
  const [small, large] = splitTraffic(trace, 2, (_r, i) => (escalates(i, share) ? [0, 1] : [0]));
  const plan = (current?: DeploymentPlan): Promise<DeploymentPlan> =>
    planDeployment({
      gpus,
      gpu,
      objective,
      slo,
      latencyModel,
      tiers: [
        { name: "small", model: "llama-3.1-8b", traffic: small! },
        { name: "large", model: "llama-3.1-70b", traffic: large! },
      ],
      ...(current === undefined ? {} : { current: current.deployment }),
    });
  const t0 = performance.now();
  const fresh = await plan();
  const wallS = (performance.now() - t0) / 1000;
  console.log(`### escalation ${(share * 100).toFixed(0)}% (${large!.length} requests to 70B), planned from scratch`);
  console.log("| tier | requests | TP × replicas | GPUs | TTFT p50 / p95 / p99 ms | e2e p50 / p95 / p99 ms | SLO att. | out tok/s |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const t of fresh.tiers) {
    const l = t.latency;
    const o = t.option;
    console.log(
      `| ${t.model} | ${t.requests} | ${o === undefined ? "—" : `TP${o.tensorParallel} × ${o.replicas}`} | ${o?.gpus ?? 0} | ` +
        (l === undefined
          ? "— | — | — | — |"
          : `${ms(l.ttftMs.p50)} / ${ms(l.ttftMs.p95)} / ${ms(l.ttftMs.p99)} | ${ms(l.e2eMs.p50)} / ${ms(l.e2eMs.p95)} / ${ms(l.e2eMs.p99)} | ` +
            `${((l.sloAttainment ?? 0) * 100).toFixed(1)}% | ${l.outputTokensPerSecond.toFixed(0)} |`),
    );
  }
  console.log(
    `${summary(fresh)}; ${fresh.simulations} simulations, ${fresh.cacheHits} cached; planning took ${wallS.toFixed(1)} s wall clock`,
  );
  if (previous !== undefined) {
    const replanned = await plan(previous);
    console.log(`re-planned from the row above (cost ${DEFAULT_REALLOCATION_COST_PER_GPU}/GPU moved): ${summary(replanned)}`);
  }
  console.log("candidates (p95 e2e ms, simulated):");
  for (const t of fresh.tiers) {
    console.log(`  ${t.model}: ${t.candidates.map((c) => `TP${c.option.tensorParallel}×${c.option.replicas} ${ms(c.latency.e2eMs.p95)}`).join(", ")}`);
  }
  console.log("");
  previous = fresh;
}

function summary(p: DeploymentPlan): string {
  const split = p.deployment.tiers.map((t) => `${t.name} TP${t.tensorParallel}×${t.replicas}`).join(" + ");
  return (
    `${split}: worst p95 e2e ${ms(p.worstLatencyMs)} ms, SLO attainment ${((p.sloAttainment ?? 0) * 100).toFixed(1)}%, ` +
    `${p.gpusUsed}/${p.gpus} GPUs, ${p.movedGpus} moved`
  );
}

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
