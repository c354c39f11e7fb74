import { PLACEMENT_POLICY_NAMES, type PlacementPolicyName, isPlacementPolicyName } from "@weir/placement";
import { getPreset } from "@weir/sim";
import type { Command } from "commander";
import { formatSimBenchReport } from "../sim-bench/format-report.js";
import { type SimBenchOptions, type SimBenchReport, runSimBench } from "../sim-bench/run-sim-bench.js";
import { resolveTracePath } from "../sim-bench/trace-path.js";
import { writeBenchResults } from "../sim-bench/write-bench-results.js";
import { commaList, failCommand, positiveNumber, wholeNumber } from "./flag-values.js";

export const DEFAULT_POLICIES = "round-robin,least-loaded,prefix-aware";

export interface SimBenchCommandOptions {
  trace?: string;
  instances: string;
  preset: string;
  policies: string;
  /** The older single-policy flag; --policies wins when both are given. */
  policy?: string;
  rateScale: string;
  seed: string;
  lengthGroups?: string;
  migrate?: boolean;
  oracleOutputLengths?: boolean;
  json?: boolean;
  out?: string;
}

/** Adds `weir sim-bench` to the program. */
export function registerSimBenchCommand(program: Command): void {
  program
    .command("sim-bench")
    .description(
      "replay an arrival trace on simulated vLLM-style instances in virtual time, once per placement policy and arrival rate; " +
        "print latency, prefix hits, throughput and the run's cost side by side",
    )
    .argument("[trace]", "Mooncake JSONL or Azure CSV trace (or a vendored one by name, e.g. mooncake_conversation.jsonl)")
    .option("--trace <file>", "the trace, as a flag (same as the argument)")
    .option("--instances <n>", "simulated instances", "4")
    .option("--preset <id>", "simulated model and hardware of every instance", "llama-3.1-8b/h100")
    .option("--policies <list>", `placement policies to compare, comma-separated: ${PLACEMENT_POLICY_NAMES.join(", ")}`, DEFAULT_POLICIES)
    .option("--policy <name>", "one placement policy (shorthand for --policies <name>)")
    .option("--rate-scale <list>", "arrival-rate factors to sweep, comma-separated (2 = arrivals twice as dense)", "1")
    .option("--seed <n>", "seed of the step-time jitter", "1")
    .option("--length-groups <k>", "length groups per tier for length-aware policies (default 4)")
    .option("--no-migrate", "length-aware policies: never move a request that outgrows its group")
    .option("--oracle-output-lengths", "give policies each request's true output length instead of their own estimate")
    .option("--json", "print one JSON object on stdout")
    .option("--out <dir>", "also write report.json, summary.md and latency.svg/png there")
    .action((trace: string | undefined, opts: SimBenchCommandOptions) => simBenchCommand({ ...opts, ...(trace !== undefined ? { trace } : {}) }));
}

/** `weir sim-bench`: parses flags, runs every (rate, policy), prints text or JSON, writes --out. */
export async function simBenchCommand(opts: SimBenchCommandOptions): Promise<void> {
  let options: SimBenchOptions;
  try {
    options = parseSimBenchOptions(opts);
  } catch (err) {
    failCommand("sim-bench", err, 2);
  }
  const quiet = opts.json === true;
  let report: SimBenchReport;
  try {
    report = runSimBench({
      ...options,
      onRun: (run, i, total) => {
        if (!quiet) process.stderr.write(`  [${i + 1}/${total}] ${run.policy} ×${run.rateScale}: ${run.wallClock.simulateS.toFixed(1)} s\n`);
      },
    });
  } catch (err) {
    failCommand("sim-bench", err, 1);
  }
  process.stdout.write(quiet ? JSON.stringify(report) + "\n" : formatSimBenchReport(report));
  if (opts.out !== undefined) {
    try {
      const written = await writeBenchResults(opts.out, report, commandLine());
      if (!quiet) process.stderr.write(`wrote ${written.join(", ")}\n`);
    } catch (err) {
      failCommand("sim-bench", err, 1);
    }
  }
}

/** The benchmark's options from the command's flags; throws a sentence on a bad one. */
export function parseSimBenchOptions(opts: SimBenchCommandOptions): SimBenchOptions {
  if (opts.trace === undefined) throw new Error("give a trace: weir sim-bench <trace> (a Mooncake JSONL or Azure CSV file)");
  const groups = opts.lengthGroups === undefined ? undefined : wholeNumber("--length-groups", opts.lengthGroups, 1);
  const policiesText = opts.policy !== undefined && opts.policies === DEFAULT_POLICIES ? opts.policy : opts.policies;
  return {
    tracePath: resolveTracePath(opts.trace),
    instances: wholeNumber("--instances", opts.instances, 1),
    preset: getPreset(opts.preset).id,
    policies: policies(policiesText),
    rateScales: commaList(opts.rateScale).map((x) => positiveNumber("--rate-scale", x)),
    seed: wholeNumber("--seed", opts.seed, 0),
    migration: opts.migrate !== false,
    oracleOutputLengths: opts.oracleOutputLengths === true,
    ...(groups !== undefined ? { policyOptions: { lengthGroups: { groups } } } : {}),
  };
}

function commandLine(): string {
  return ["weir", ...process.argv.slice(2)].join(" ");
}

function policies(text: string): PlacementPolicyName[] {
  const names = commaList(text);
  if (names.length === 0) throw new Error(`--policies must name at least one of ${PLACEMENT_POLICY_NAMES.join(", ")}`);
  const out: PlacementPolicyName[] = [];
  for (const name of names) {
    if (!isPlacementPolicyName(name)) throw new Error(`--policies: "${name}" is not a policy (${PLACEMENT_POLICY_NAMES.join(", ")})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

