import { getPreset } from "@weir/sim";
import type { Command } from "commander";
import { formatKvPrecisionBenchReport } from "../kv-precision-bench/format-report.js";
import {
  KV_PRECISIONS,
  type KvPrecision,
  type KvPrecisionBenchOptions,
  runKvPrecisionBench,
} from "../kv-precision-bench/run-kv-precision-bench.js";
import { BENCH_POLICIES, isBenchPolicy } from "../kv-precision-bench/sim-placement.js";
import { resolveTracePath } from "../sim-bench/trace-path.js";
import { failCommand, positiveNumber, wholeNumber } from "./flag-values.js";

export interface KvPrecisionBenchCommandOptions {
  trace: string;
  instances: string;
  preset: string;
  policy: string;
  precisions: string;
  anchorBlocks: string;
  rateScale: string;
  seed: string;
  kvCapacityTokens?: string;
  json?: boolean;
}

/** Adds `weir kv-precision-bench` to the program. */
export function registerKvPrecisionBenchCommand(program: Command): void {
  program
    .command("kv-precision-bench")
    .description(
      "replay a trace on simulated instances once per KV precision (fp16, fp8/int8 with 16-bit anchors): KV capacity, prefix hits, latency, preemptions, throughput (virtual time; quality not modelled)",
    )
    .requiredOption("--trace <file>", "Mooncake JSONL or Azure CSV trace (or a vendored one by name, e.g. mooncake_conversation.jsonl)")
    .option("--instances <n>", "simulated instances", "8")
    .option("--preset <id>", "simulated model and hardware of every instance", "llama-3.1-8b/h100")
    .option("--policy <name>", `placement: ${BENCH_POLICIES.join(", ")} (round-robin places alike in every run)`, "round-robin")
    .option("--precisions <list>", "KV precisions to compare, comma-separated", KV_PRECISIONS.join(","))
    .option("--anchor-blocks <n>", "leading KV blocks of every sequence kept at 16 bits in the anchored modes", "4")
    .option("--rate-scale <x>", "multiply the arrival rate (2 = arrivals twice as dense)", "1")
    .option("--seed <n>", "seed of the step-time jitter", "1")
    .option("--kv-capacity-tokens <n>", "model less KV memory than the preset has, in 16-bit tokens per instance")
    .option("--json", "print one JSON object on stdout")
    .action((opts: KvPrecisionBenchCommandOptions) => kvPrecisionBenchCommand(opts));
}

/** `weir kv-precision-bench`: parses flags, runs the benchmark, prints text or JSON. */
export function kvPrecisionBenchCommand(opts: KvPrecisionBenchCommandOptions): void {
  let options: KvPrecisionBenchOptions;
  try {
    options = parseKvPrecisionBenchOptions(opts);
  } catch (err) {
    failCommand("kv-precision-bench", err, 2);
  }
  let report: ReturnType<typeof runKvPrecisionBench>;
  try {
    report = runKvPrecisionBench(options);
  } catch (err) {
    failCommand("kv-precision-bench", err, 1);
  }
  process.stdout.write(opts.json === true ? JSON.stringify(report) + "\n" : formatKvPrecisionBenchReport(report));
}

/** The flags as bench options; throws a sentence naming the flag on a bad value. */
export function parseKvPrecisionBenchOptions(opts: KvPrecisionBenchCommandOptions): KvPrecisionBenchOptions {
  if (!isBenchPolicy(opts.policy)) throw new Error(`--policy must be one of ${BENCH_POLICIES.join(", ")} (got "${opts.policy}")`);
  return {
    tracePath: resolveTracePath(opts.trace),
    instances: wholeNumber("--instances", opts.instances, 1),
    preset: getPreset(opts.preset).id,
    policy: opts.policy,
    precisions: precisions(opts.precisions),
    anchorBlocks: wholeNumber("--anchor-blocks", opts.anchorBlocks, 0),
    rateScale: positiveNumber("--rate-scale", opts.rateScale),
    seed: wholeNumber("--seed", opts.seed, 0),
    kvCapacityTokens: opts.kvCapacityTokens === undefined ? undefined : wholeNumber("--kv-capacity-tokens", opts.kvCapacityTokens, 1),
  };
}

function precisions(list: string): KvPrecision[] {
  const names = list.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const known = KV_PRECISIONS as readonly string[];
  const bad = names.filter((n) => !known.includes(n));
  if (names.length === 0 || bad.length > 0) {
    throw new Error(`--precisions must list some of ${KV_PRECISIONS.join(", ")} (got "${list}")`);
  }
  return [...new Set(names)] as KvPrecision[];
}

