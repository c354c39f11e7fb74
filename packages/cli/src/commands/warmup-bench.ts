import { isPlacementPolicyName, PLACEMENT_POLICY_NAMES } from "@weir/placement";
import { loadArtifact } from "@weir/routing";
import { getPreset } from "@weir/sim";
import type { Command } from "commander";
import { formatWarmupReport } from "../warmup-bench/format-warmup-report.js";
import { type WarmupBenchOptions, runWarmupBench } from "../warmup-bench/run-warmup-bench.js";
import { failCommand, positiveNumber, wholeNumber } from "./flag-values.js";

export interface WarmupBenchCommandOptions {
  artifacts: string;
  rate: string;
  requests?: string;
  heldOut?: boolean;
  contextTokens: string;
  smallPreset: string;
  smallInstances: string;
  largePreset: string;
  largeInstances: string;
  policy: string;
  acceptBelow: string;
  maxInFlight: string;
  warmupMaxQueuedPrefill?: string;
  seed: string;
  json?: boolean;
}

/** Adds `weir warmup-bench` to the program. */
export function registerWarmupBenchCommand(program: Command): void {
  program
    .command("warmup-bench")
    .description(
      "escalation warm-up in virtual time: a GSM8K cascade (learned router, trained QE on recorded answers) on simulated small and large instances, cold and warmed; large-tier TTFT of escalated requests and what the warm-ups cost",
    )
    .option("--artifacts <dir>", "routing artifact (routing.json) for the router and the judge", "artifacts/gsm8k")
    .option("--rate <req/s>", "Poisson arrival rate", "4")
    .option("--requests <n>", "at most this many GSM8K rows (default: all)")
    .option("--held-out", "only the rows the artifact held out from training")
    .option("--context-tokens <n>", "synthetic context tokens before each question, unique per request (0: GSM8K prompts alone)", "0")
    .option("--small-preset <id>", "simulated model and hardware of the small tier", "llama-3.1-8b/h100")
    .option("--small-instances <n>", "small-tier instances", "2")
    .option("--large-preset <id>", "simulated model and hardware of the large tier", "llama-3.1-70b/h100x4")
    .option("--large-instances <n>", "large-tier instances", "2")
    .option("--policy <name>", `placement policy of both tiers: ${PLACEMENT_POLICY_NAMES.join(", ")}`, "prefix-aware")
    .option("--accept-below <list>", "router.warmUp.acceptBelow values to run besides the cold baseline, comma-separated (1 = warm every small-start request)", "0.7,1")
    .option("--max-in-flight <n>", "the kv-cache-manager's warm-up budget: prefills in flight at once", "8")
    .option(
      "--warmup-max-queued-prefill <tokens>",
      "offer warm-ups only to instances with at most this many prompt tokens waiting for prefill (scheduler.policyOptions.warmupMaxQueuedPrefillTokens; default 0, as the scheduler)",
    )
    .option("--seed <n>", "seed of the arrivals and the step-time jitter", "1")
    .option("--json", "print one JSON object on stdout")
    .action((opts: WarmupBenchCommandOptions) => warmupBenchCommand(opts));
}

/** `weir warmup-bench`: parses flags, runs the benchmark, prints text or JSON. */
export function warmupBenchCommand(opts: WarmupBenchCommandOptions): void {
  let options: WarmupBenchOptions;
  try {
    options = {
      artifact: loadArtifact(opts.artifacts),
      artifactsDir: opts.artifacts,
      rate: positiveNumber("--rate", opts.rate),
      requests: opts.requests === undefined ? undefined : wholeNumber("--requests", opts.requests, 1),
      heldOut: opts.heldOut === true,
      contextTokens: wholeNumber("--context-tokens", opts.contextTokens, 0),
      small: { preset: getPreset(opts.smallPreset).id, instances: wholeNumber("--small-instances", opts.smallInstances, 1) },
      large: { preset: getPreset(opts.largePreset).id, instances: wholeNumber("--large-instances", opts.largeInstances, 1) },
      policy: policy(opts.policy),
      acceptBelow: probabilities("--accept-below", opts.acceptBelow),
      maxWarmUpsInFlight: wholeNumber("--max-in-flight", opts.maxInFlight, 0),
      warmUpMaxQueuedPrefill:
        opts.warmupMaxQueuedPrefill === undefined ? undefined : wholeNumber("--warmup-max-queued-prefill", opts.warmupMaxQueuedPrefill, 0),
      seed: wholeNumber("--seed", opts.seed, 0),
    };
  } catch (err) {
    failCommand("warmup-bench", err, 2);
  }
  let report: ReturnType<typeof runWarmupBench>;
  try {
    report = runWarmupBench(options);
  } catch (err) {
    failCommand("warmup-bench", err, 1);
  }
  process.stdout.write(opts.json === true ? JSON.stringify(report) + "\n" : formatWarmupReport(report));
}

function policy(name: string): WarmupBenchOptions["policy"] {
  if (!isPlacementPolicyName(name)) throw new Error(`--policy must be one of ${PLACEMENT_POLICY_NAMES.join(", ")} (got "${name}")`);
  return name;
}

function probabilities(flag: string, text: string): number[] {
  const xs = text.split(",").filter((s) => s.trim() !== "").map(Number);
  if (xs.some((x) => !(Number.isFinite(x) && x >= 0 && x <= 1))) throw new Error(`${flag} must be probabilities from 0 to 1, comma-separated (got "${text}")`);
  return xs;
}

