import { isPlacementPolicyName, PLACEMENT_POLICY_NAMES } from "@weir/placement";
import type { InnerObjective } from "@weir/planner";
import type { Command } from "commander";
import { benchMarkdown } from "../bench/bench-markdown.js";
import { benchProgress } from "../bench/bench-progress.js";
import { type RunBenchOptions, runBench } from "../bench/run-bench.js";
import { writeBenchOutputs } from "../bench/write-bench-outputs.js";
import { liveMarkdown } from "../bench/live/live-markdown.js";
import { DEPLOYMENT_NAMES, type LiveBenchOptions, runLiveBench } from "../bench/live/run-live-bench.js";
import { writeLiveOutputs } from "../bench/live/write-live-outputs.js";
import { BENCH_ROWS, type BenchRows } from "../bench/bench-setup.js";
import { type RateSweepOptions, runRateSweep } from "../bench/sweep/run-rate-sweep.js";
import { sweepMarkdown } from "../bench/sweep/sweep-markdown.js";
import { writeSweepOutputs } from "../bench/sweep/write-sweep-outputs.js";
import { resolveTracePath } from "../sim-bench/trace-path.js";
import { positiveNumber, wholeNumber } from "./flag-values.js";

export interface BenchCommandOptions {
  virtual?: boolean;
  live?: boolean;
  sweep?: boolean;
  /** The --sweep and --rows flags; unset = their defaults (commander fills them in). */
  durationS?: string;
  planRequests?: string;
  startScale?: string;
  maxScale?: string;
  tolerance?: string;
  rows?: string;
  planRateScale?: string;
  objective?: string;
  speedup?: string;
  deployments?: string;
  trace: string;
  dataset: string[];
  artifacts: string;
  gpus: string;
  gpu: string;
  rateScale: string;
  /** Unset: 3000 virtual, 200 live (a live run takes the trace's own span in wall time / speedup). */
  requests?: string;
  sloMs: string;
  minQuality: string;
  policy: string;
  seed: string;
  cache?: string;
  json?: boolean;
  out?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `weir bench` to the program. */
export function registerBenchCommand(program: Command): void {
  program
    .command("bench")
    .description(
      "replay a trace's arrivals with a labelled data set's prompts and recorded answers on four deployments of the same GPUs " +
        "(small only, large only, static cascade on an even split, Weir's planned cascade); SLO attainment, throughput, latency " +
        "percentiles, accuracy, cost, escalation rate. --virtual: entirely in virtual time (simulated); --live: through the whole " +
        "stack (every service a process, real NATS and gRPC) with sim engines in real time / --speedup",
    )
    .option("--virtual", "run in virtual time (simulated)")
    .option("--live", "run through the live stack: services as processes, a fresh NATS per deployment, sim engines at --speedup")
    .option("--sweep", "--virtual: each deployment's highest sustainable rate (p95 e2e ≤ SLO), Weir re-planned at every probed rate")
    .option("--duration-s <s>", "--sweep: seconds of arrivals every probe replays (≥ 3 × the SLO)", "60")
    .option("--plan-requests <n>", "Weir plans on this many requests (--sweep: of each probe's; default 3000) instead of --requests")
    .option("--start-scale <x>", "--sweep: first rate factor probed", "16")
    .option("--max-scale <x>", "--sweep: highest rate factor probed", "256")
    .option("--tolerance <x>", "--sweep: stop when the limit is bracketed within this fraction", "0.05")
    .option("--rows <which>", `data rows replayed: ${BENCH_ROWS.join(" (the artifact's held-out split; the planner chooses on the training rows) or ")} (every row, in-sample)`, "held-out")
    .option("--objective <name>", "Weir's inner MILP objective: min-latency (the worst tier's p95) or max-slo-attainment", "min-latency")
    .option("--plan-rate-scale <x>", "Weir plans for the arrivals at this factor instead of --rate-scale (plan for the peak, replay what comes)")
    .option("--speedup <x>", "--live: sim engines and arrivals this many times faster than real time (times are reported × this)", "1")
    .option("--deployments <names>", `--live: which deployments to run, comma-separated (${DEPLOYMENT_NAMES.join(", ")})`, DEPLOYMENT_NAMES.join(","))
    .requiredOption("--trace <file>", "arrival trace (Azure CSV or Mooncake JSONL, or a vendored one by name)")
    .requiredOption("--dataset <name|file>", "labelled answers: gsm8k, mmlu, mmlu:<subject,…> or a RouteLLM-format CSV; repeat to merge", collect)
    .option("--artifacts <dir>", "the trained routing artifact (routing.json)", "artifacts/gsm8k")
    .option("--gpus <n>", "GPUs every deployment gets", "8")
    .option("--gpu <id>", "GPU kind: h100, h200", "h100")
    .option("--rate-scale <x>", "arrival-rate factor (2 = arrivals twice as dense)", "1")
    .option("--requests <n>", "the trace's first N requests (default 3000 with --virtual, 200 with --live)")
    .option("--slo-ms <n>", "end-to-end SLO, ms", "10000")
    .option("--min-quality <x>", "Weir's plan: least accuracy relative to the strongest tier", "0.97")
    .option("--policy <name>", `placement policy of every tier: ${PLACEMENT_POLICY_NAMES.join(", ")}`, "prefix-aware")
    .option("--seed <n>", "seed of the step-time jitter", "1")
    .option("--cache <file>", "the planner's latency cache on disk", ".weir/planner-cache.json")
    .option("--json", "print the report as one JSON object")
    .option("--out <dir>", "write summary.md, report.json and bench.svg/png there (e.g. bench-results/bench-live for --live)")
    .action((opts: BenchCommandOptions) => benchCommand(opts));
}

export async function benchCommand(opts: BenchCommandOptions): Promise<void> {
  let options: RunBenchOptions | LiveBenchOptions;
  try {
    if ((opts.virtual === true) === (opts.live === true)) {
      throw new Error("give exactly one of --virtual (virtual time, simulated) and --live (the whole stack as processes, sim engines in real time)");
    }
    if (opts.sweep === true && opts.live === true) throw new Error("--sweep runs in virtual time only: use it with --virtual");
    if (opts.sweep === true) {
      const sweep = parseSweepOptions(opts);
      return sweepCommand(opts, sweep);
    }
    options = opts.live === true ? parseLiveOptions(opts) : parseOptions(opts);
  } catch (err) {
    process.stderr.write(`weir bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  if (opts.live === true) return liveBenchCommand(opts, options as LiveBenchOptions);
  const progress = benchProgress(opts.json !== true);
  try {
    const report = await runBench({ ...options, onProgress: (stage, done, total) => progress.update(stage, done, total) });
    progress.stop();
    const written = opts.out === undefined ? [] : await writeBenchOutputs(opts.out, report);
    process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : benchMarkdown(report) + (written.length > 0 ? `\nWrote ${written.join(", ")}.\n` : ""));
  } catch (err) {
    progress.stop();
    process.stderr.write(`weir bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

async function sweepCommand(opts: BenchCommandOptions, options: RateSweepOptions): Promise<void> {
  const progress = benchProgress(opts.json !== true);
  try {
    const report = await runRateSweep({ ...options, onProgress: (stage, done, total) => progress.update(stage, done, total) });
    progress.stop();
    const written = opts.out === undefined ? [] : await writeSweepOutputs(opts.out, report);
    process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : sweepMarkdown(report) + (written.length > 0 ? `\nWrote ${written.join(", ")}.\n` : ""));
  } catch (err) {
    progress.stop();
    process.stderr.write(`weir bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

export function parseSweepOptions(o: BenchCommandOptions): RateSweepOptions {
  const { rateScale: _rate, requests: _requests, planRateScale: _plan, planRequests: _planRequests, ...base } = parseOptions(o);
  const startScale = positiveNumber("--start-scale", o.startScale ?? "16");
  const maxScale = positiveNumber("--max-scale", o.maxScale ?? "256");
  if (maxScale < startScale) throw new Error(`--max-scale (${maxScale}) must be at least --start-scale (${startScale})`);
  const durationS = positiveNumber("--duration-s", o.durationS ?? "60");
  if (durationS * 1000 < 3 * base.sloMs) throw new Error(`--duration-s must be at least 3 × the SLO (${(3 * base.sloMs) / 1000} s) for a queue to show`);
  return {
    ...base,
    durationS,
    planRequests: wholeNumber("--plan-requests", o.planRequests ?? "3000", 1),
    startScale,
    maxScale,
    tolerance: positiveNumber("--tolerance", o.tolerance ?? "0.05"),
  };
}

async function liveBenchCommand(opts: BenchCommandOptions, options: LiveBenchOptions): Promise<void> {
  const progress = benchProgress(opts.json !== true);
  try {
    const report = await runLiveBench({ ...options, onProgress: (stage, done, total) => progress.update(stage, done, total) });
    progress.stop();
    const written = opts.out === undefined ? [] : await writeLiveOutputs(opts.out, report);
    process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : liveMarkdown(report) + (written.length > 0 ? `\nWrote ${written.join(", ")}.\n` : ""));
  } catch (err) {
    progress.stop();
    process.stderr.write(`weir bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

export function parseLiveOptions(o: BenchCommandOptions): LiveBenchOptions {
  const deployments = (o.deployments ?? DEPLOYMENT_NAMES.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = deployments.filter((d) => !(DEPLOYMENT_NAMES as readonly string[]).includes(d));
  if (deployments.length === 0 || unknown.length > 0) {
    throw new Error(`--deployments must name some of ${DEPLOYMENT_NAMES.join(", ")} (got "${o.deployments ?? ""}")`);
  }
  return { ...parseOptions({ ...o, requests: o.requests ?? "200" }), speedup: positiveNumber("--speedup", o.speedup ?? "1"), deployments };
}

export function parseOptions(o: BenchCommandOptions): RunBenchOptions {
  if (!isPlacementPolicyName(o.policy)) throw new Error(`--policy must be one of ${PLACEMENT_POLICY_NAMES.join(", ")} (got "${o.policy}")`);
  const minQuality = Number(o.minQuality);
  if (!(Number.isFinite(minQuality) && minQuality >= 0 && minQuality <= 1)) {
    throw new Error(`--min-quality must be a quality from 0 to 1, relative to the strongest tier (got "${o.minQuality}")`);
  }
  return {
    tracePath: resolveTracePath(o.trace),
    dataset: o.dataset,
    artifacts: o.artifacts,
    gpus: wholeNumber("--gpus", o.gpus, 1),
    gpu: o.gpu,
    rateScale: positiveNumber("--rate-scale", o.rateScale),
    requests: wholeNumber("--requests", o.requests ?? "3000", 1),
    sloMs: positiveNumber("--slo-ms", o.sloMs),
    minQuality,
    policy: o.policy,
    seed: wholeNumber("--seed", o.seed, 0),
    rows: benchRows(o.rows),
    planRateScale: o.planRateScale === undefined ? undefined : positiveNumber("--plan-rate-scale", o.planRateScale),
    planRequests: o.planRequests === undefined ? undefined : wholeNumber("--plan-requests", o.planRequests, 1),
    objective: innerObjective(o.objective),
    cacheFile: o.cache === undefined || o.cache === "" ? undefined : o.cache,
  };
}

function innerObjective(v: string | undefined): InnerObjective {
  const name = v ?? "min-latency";
  if (name !== "min-latency" && name !== "max-slo-attainment") throw new Error(`--objective must be min-latency or max-slo-attainment (got "${name}")`);
  return name;
}

function benchRows(v: string | undefined): BenchRows {
  const rows = v ?? "held-out";
  if (!(BENCH_ROWS as readonly string[]).includes(rows)) throw new Error(`--rows must be one of ${BENCH_ROWS.join(", ")} (got "${rows}")`);
  return rows as BenchRows;
}
