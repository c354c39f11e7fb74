import { getPreset } from "@weir/sim";
import type { Command } from "commander";
import { formatSimBenchReport } from "../sim-bench/format-report.js";
import { PLACEMENT_POLICIES, isPlacementPolicy } from "../sim-bench/placement-policies.js";
import { type SimBenchOptions, runSimBench } from "../sim-bench/run-sim-bench.js";
import { resolveTracePath } from "../sim-bench/trace-path.js";

export interface SimBenchCommandOptions {
  trace: string;
  instances: string;
  preset: string;
  policy: string;
  rateScale: string;
  seed: string;
  json?: boolean;
}

/** Adds `weir sim-bench` to the program. */
export function registerSimBenchCommand(program: Command): void {
  program
    .command("sim-bench")
    .description("replay an arrival trace on simulated vLLM-style instances in virtual time; print latency, prefix hits, throughput and the run's cost")
    .requiredOption("--trace <file>", "Mooncake JSONL or Azure CSV trace (or a vendored one by name, e.g. mooncake_conversation.jsonl)")
    .option("--instances <n>", "simulated instances", "4")
    .option("--preset <id>", "simulated model and hardware of every instance", "llama-3.1-8b/h100")
    .option("--policy <name>", `placement: ${PLACEMENT_POLICIES.join(" or ")}`, "round-robin")
    .option("--rate-scale <x>", "multiply the arrival rate (2 = arrivals twice as dense)", "1")
    .option("--seed <n>", "seed of the step-time jitter", "1")
    .option("--json", "print one JSON object on stdout")
    .action((opts: SimBenchCommandOptions) => simBenchCommand(opts));
}

/** `weir sim-bench`: parses flags, runs the benchmark, prints text or JSON. */
export function simBenchCommand(opts: SimBenchCommandOptions): void {
  let options: SimBenchOptions;
  try {
    options = {
      tracePath: resolveTracePath(opts.trace),
      instances: integer("--instances", opts.instances, 1),
      preset: getPreset(opts.preset).id,
      policy: policy(opts.policy),
      rateScale: positive("--rate-scale", opts.rateScale),
      seed: integer("--seed", opts.seed, 0),
    };
  } catch (err) {
    fail(err, 2);
  }
  let report: ReturnType<typeof runSimBench>;
  try {
    report = runSimBench(options);
  } catch (err) {
    fail(err, 1);
  }
  process.stdout.write(opts.json === true ? JSON.stringify(report) + "\n" : formatSimBenchReport(report));
}

function fail(err: unknown, code: number): never {
  process.stderr.write(`weir sim-bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(code);
}

function policy(name: string): SimBenchOptions["policy"] {
  if (!isPlacementPolicy(name)) throw new Error(`--policy must be ${PLACEMENT_POLICIES.join(" or ")} (got "${name}")`);
  return name;
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min} (got "${text}")`);
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${flag} must be a number > 0 (got "${text}")`);
  return n;
}
