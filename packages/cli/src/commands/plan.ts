import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { applyDeploymentPlan, clearDeploymentPlan, deploymentFromStored, deploymentPlanFor, formatDeploymentPlan, idleTierWarning, readDeploymentPlan } from "../plan/apply-plan.js";
import { k8sOverlay } from "../plan/k8s-patch.js";
import { formatFrontTable, formatPlanTable, type PlanReport } from "../plan/plan-report.js";
import { renderPlanPlot } from "../plan/plan-plot.js";
import { type RunPlanOptions, runPlan } from "../plan/run-plan.js";
import { resolveTracePath } from "../sim-bench/trace-path.js";

interface PlanCommandOptions {
  gpus: string;
  gpu: string;
  trace: string;
  dataset: string[];
  artifacts: string;
  minQuality: string;
  rateScale: string;
  requests: string;
  sloMs?: string;
  betas?: string;
  betaCount: string;
  thresholdShifts: string;
  cache?: string;
  k8sBase: string;
  json?: boolean;
  out?: string;
  apply?: boolean;
  fresh?: boolean;
  nats?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `weir plan` to the program. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "choose the cascade's thresholds and GPU split together (Cascadia): sweep β and thresholds, deploy each on the GPUs with the " +
        "inner MILP over simulated latencies, keep the latency–quality front, print the fastest plan meeting --min-quality",
    )
    .requiredOption("--trace <file>", "arrival trace (Azure CSV or Mooncake JSONL, or a vendored one by name)")
    .requiredOption("--dataset <name|file>", "labelled answers: gsm8k, mmlu, mmlu:<subject,…> or a RouteLLM-format CSV; repeat to merge", collect)
    .option("--gpus <n>", "GPUs to split between the tiers", "8")
    .option("--gpu <id>", "GPU kind: h100, h200", "h100")
    .option("--min-quality <x>", "least accuracy relative to the strongest tier", "0.97")
    .option("--artifacts <dir>", "the trained routing artifact (routing.json)", "artifacts/gsm8k")
    .option("--rate-scale <x>", "arrival-rate factor (2 = arrivals twice as dense)", "1")
    .option("--requests <n>", "use the trace's first N requests", "3000")
    .option("--slo-ms <n>", "end-to-end SLO, ms (reported as attainment)")
    .option("--betas <list>", "βs to try, comma-separated (default: spread over the βs where a cluster's start tier changes, plus the artifact's)")
    .option("--beta-count <n>", "how many distinct-assignment βs the default grid takes", "8")
    .option("--threshold-shifts <list>", "shifts of every accept threshold to try, comma-separated", "-0.1,0,0.1")
    .option("--cache <file>", "latency cache on disk (reused across runs)", ".weir/planner-cache.json")
    .option("--k8s-base <dir>", "infra/k8s, for the kustomize overlay written to --out", "infra/k8s")
    .option("--json", "print the report as one JSON object")
    .option("--out <dir>", "write report.json, front.svg/png and k8s/ (kustomization.yaml, replicas-patch.yaml) there")
    .option("--apply", "store the chosen plan in the NATS KV bucket weir_deployment; a scheduler with scheduler.localWorkers starts and stops sim workers to match")
    .option("--fresh", "--apply: plan from scratch instead of re-planning from the stored deployment (which weighs moving GPUs)")
    .option("--nats <url>", "NATS for --apply (default: $NATS_URL or nats://127.0.0.1:4222)")
    .action((opts: PlanCommandOptions) => planCommand(opts));

  program
    .command("deployment")
    .description("print the deployment plan stored by `weir plan --apply` (NATS KV bucket weir_deployment), or withdraw it")
    .option("--nats <url>", "NATS to read from (default: $NATS_URL or nats://127.0.0.1:4222)")
    .option("--json", "print the plan as one JSON object")
    .option("--clear", "withdraw the plan: schedulers go back to tiers[].replicas of weir.yaml, routers to its routing")
    .action((opts: { nats?: string; json?: boolean; clear?: boolean }) => deploymentCommand(opts));
}

async function deploymentCommand(opts: { nats?: string; json?: boolean; clear?: boolean }): Promise<void> {
  try {
    if (opts.clear === true) {
      await clearDeploymentPlan(opts.nats === undefined ? {} : { natsUrl: opts.nats });
      process.stdout.write("Withdrew weir_deployment/current: weir.yaml applies again.\n");
      return;
    }
    const plan = await readDeploymentPlan(opts.nats === undefined ? {} : { natsUrl: opts.nats });
    if (plan === undefined) {
      process.stderr.write("weir deployment: no plan is stored yet; write one with weir plan --apply\n");
      process.exitCode = 1;
      return;
    }
    process.stdout.write(opts.json === true ? `${JSON.stringify(plan, (k, v: unknown) => (k === "$typeName" ? undefined : typeof v === "bigint" ? Number(v) : v))}\n` : formatDeploymentPlan(plan));
  } catch (err) {
    process.stderr.write(`weir deployment: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

export async function planCommand(opts: PlanCommandOptions): Promise<void> {
  let options: RunPlanOptions;
  try {
    options = parseOptions(opts);
  } catch (err) {
    process.stderr.write(`weir plan: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const quiet = opts.json === true;
    // --apply re-plans from what runs now: each GPU moved costs, so a small
    // change in traffic keeps the deployment (and NATS is checked before the minutes of planning).
    if (opts.apply === true && opts.fresh !== true) {
      const stored = await readDeploymentPlan(opts.nats === undefined ? {} : { natsUrl: opts.nats });
      const current = stored === undefined ? undefined : deploymentFromStored(stored, options.gpu);
      if (current !== undefined) options = { ...options, current };
    }
    const { report } = await runPlan({
      ...options,
      ...(quiet ? {} : { onPlan: (done, total) => process.stderr.write(`\rplanning deployments ${done}/${total}${done === total ? "\n" : ""}`) }),
    });
    if (opts.out !== undefined) await writeOutputs(opts.out, report, opts.k8sBase);
    if (quiet) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      process.stdout.write(formatText(report, opts.out));
    }
    if (report.chosen === undefined) process.exitCode = 1;
    if (opts.apply === true) {
      // With --json, stdout is the report alone; say what was applied on stderr.
      const say = (text: string) => (quiet ? process.stderr : process.stdout).write(text);
      if (report.chosen === undefined) say("\nNothing applied: no plan was chosen.\n");
      else {
        const written = await applyDeploymentPlan(
          deploymentPlanFor(report.chosen, report.gpu),
          opts.nats === undefined ? {} : { natsUrl: opts.nats },
        );
        say(`\nApplied: wrote ${formatDeploymentPlan(written)}${idleTierWarning(written) ?? ""}`);
      }
    }
  } catch (err) {
    process.stderr.write(`weir plan: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

function parseOptions(o: PlanCommandOptions): RunPlanOptions {
  const num = (flag: string, v: string, ok: (x: number) => boolean): number => {
    const x = Number(v);
    if (!(Number.isFinite(x) && ok(x))) throw new Error(`${flag} ${v} is not valid`);
    return x;
  };
  const list = (flag: string, v: string, ok: (x: number) => boolean): number[] => v.split(",").filter((s) => s.trim() !== "").map((s) => num(flag, s, ok));
  return {
    gpus: num("--gpus", o.gpus, (x) => Number.isInteger(x) && x >= 1),
    gpu: o.gpu,
    tracePath: resolveTracePath(o.trace),
    dataset: o.dataset,
    artifacts: o.artifacts,
    minQuality: num("--min-quality", o.minQuality, (x) => x >= 0),
    rateScale: num("--rate-scale", o.rateScale, (x) => x > 0),
    requests: num("--requests", o.requests, (x) => Number.isInteger(x) && x >= 1),
    betaCount: num("--beta-count", o.betaCount, (x) => Number.isInteger(x) && x >= 1),
    thresholdShifts: list("--threshold-shifts", o.thresholdShifts, () => true),
    ...(o.sloMs === undefined ? {} : { sloE2eMs: num("--slo-ms", o.sloMs, (x) => x > 0) }),
    ...(o.betas === undefined ? {} : { betas: list("--betas", o.betas, (x) => x >= 0) }),
    ...(o.cache === undefined || o.cache === "" ? {} : { cacheFile: o.cache }),
  };
}

async function writeOutputs(out: string, report: PlanReport, k8sBase: string): Promise<void> {
  const dir = resolve(out);
  mkdirSync(join(dir, "k8s"), { recursive: true });
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const { svg, png } = await renderPlanPlot(report);
  writeFileSync(join(dir, "front.svg"), svg);
  writeFileSync(join(dir, "front.png"), png);
  if (report.chosen !== undefined) {
    // The same per-tier presets and replicas `weir plan --apply` stores.
    const plan = deploymentPlanFor(report.chosen, report.gpu);
    const overlay = k8sOverlay(
      { gpu: report.gpu, tiers: (plan.tiers ?? []).map((t) => ({ tier: t.tier ?? "", preset: t.preset ?? "", tensorParallel: t.tensorParallel ?? 0, replicas: t.replicas ?? 0 })) },
      relative(join(dir, "k8s"), resolve(k8sBase)),
    );
    for (const [file, text] of Object.entries(overlay)) writeFileSync(join(dir, "k8s", file), text);
  }
}

function formatText(report: PlanReport, out: string | undefined): string {
  const head =
    `${report.gpus}× ${report.gpu.toUpperCase()}; ${report.trace.requests} requests of ${report.trace.file} at ${report.trace.rateScale}× ` +
    `(${report.trace.requestsPerSecond.toFixed(1)} req/s); answers: ${report.dataset.name} (${report.dataset.rows} rows, strongest tier ` +
    `${(report.strongestAccuracy * 100).toFixed(1)}%); artifact ${report.artifacts}.\n` +
    "Latencies are simulated (@weir/sim, virtual time) on stand-in models; quality comes from the recorded answers.\n";
  const chosen =
    report.chosen === undefined
      ? `\nNo plan reaches quality ${report.minQuality}: lower --min-quality or widen --betas / --threshold-shifts.\n`
      : `\nPlan (fastest with quality ≥ ${report.minQuality}):\n${formatPlanTable(report.chosen)}\n` +
        (report.replannedFrom === undefined
          ? ""
          : `Re-planned from the running deployment (${report.replannedFrom}): ${report.chosen.tiers.reduce((n, t) => n + t.movedGpus, 0)} GPUs change role.\n`);
  const front = `\nPareto front (${report.front.length} of ${report.candidates.filter((c) => c.latencyMs !== undefined).length} planned, ${report.candidates.length} knob settings):\n${formatFrontTable(report.front, report.chosen)}\n`;
  const tail =
    `\n${report.simulations} simulations, ${report.cacheHits} from the cache; ${report.wallClockS.toFixed(1)} s wall clock.` +
    (out === undefined ? "" : ` Wrote ${out}/report.json, front.svg/png, k8s/.`) +
    "\n";
  return head + chosen + front + tail;
}
