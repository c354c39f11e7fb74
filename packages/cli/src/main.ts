#!/usr/bin/env node
import { Command } from "commander";
import { evalCommand } from "./commands/eval.js";
import { registerSimBenchCommand } from "./commands/sim-bench.js";
import { registerSimServerCommand } from "./commands/sim-server.js";
import { startCommand } from "./commands/start.js";
import { trainCommand } from "./commands/train.js";

const program = new Command()
  .name("weir")
  .description("Weir: serve large language models as a cost-aware cascade")
  .version("0.1.0");

program
  .command("start")
  .description("run the local stack: NATS (if none is reachable), every service and the tiers of weir.yaml")
  .option("-c, --config <file>", "weir.yaml to use (default: $WEIR_CONFIG or ./weir.yaml)")
  .option("--nats <url>", "NATS server to use or start (default: $NATS_URL or nats://127.0.0.1:4222)")
  .action((opts: { config?: string; nats?: string }) => startCommand(opts));

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

program
  .command("train")
  .description("learn a routing artifact (clusters, budget β, QE model, thresholds) from labelled answers; print the quality–cost table")
  .option("--dataset <name|file>", "gsm8k, mmlu, mmlu:<subject,…> or a RouteLLM-format CSV; repeat to merge (default: gsm8k and mmlu)", collect)
  .option("--tier <name=model:in:out>", "tier map: which model column plays the tier and its USD per 1M input/output tokens; repeat (default: small = Mixtral-8x7B, large = GPT-4 Turbo)", collect)
  .option("--out <dir>", "where to write routing.json, report.json, frontier.svg/png (default: artifacts/<dataset>)")
  .option("--seed <n>", "seed of the split, folds, k-means and embedder", "42")
  .option("--test-fraction <x>", "share of rows held out for the reported figures", "0.2")
  .option("--folds <n>", "cross-fitting folds on the training rows (the validation data)", "5")
  .option("--k <list>", "cluster counts to try, e.g. 1,4,16 (default: 1 to 64, ~20 rows per cluster at least)")
  .option("--target <x>", "accuracy to reach relative to the strongest tier, on validation", "0.97")
  .option("--embedder <kind>", "hashed-tfidf (built in) or openai (an OpenAI-compatible /v1/embeddings; key in WEIR_EMBEDDINGS_API_KEY)", "hashed-tfidf")
  .option("--embeddings-url <url>", "base URL of the embeddings server, e.g. http://127.0.0.1:8000/v1")
  .option("--embeddings-model <name>", "embedding model name")
  .option("--no-plot", "do not render frontier.svg and frontier.png")
  .option("--json", "print the report as one JSON object (no table, no progress bar)")
  .action((opts: Parameters<typeof trainCommand>[0]) => trainCommand({ ...opts, dataset: opts.dataset ?? ["gsm8k", "mmlu"] }));

program
  .command("eval")
  .description("score a trained artifact on a labelled file by replaying the cascade: accuracy, share reaching each tier, cost")
  .requiredOption("--artifacts <dir>", "directory holding routing.json")
  .requiredOption("--dataset <name|file>", "gsm8k, mmlu, mmlu:<subject,…> or a RouteLLM-format CSV; repeat to merge", collect)
  .option("--budget <beta>", "override the artifact's budget β")
  .option("--json", "print one JSON object on stdout")
  .action((opts: Parameters<typeof evalCommand>[0]) => evalCommand(opts));

registerSimServerCommand(program);
registerSimBenchCommand(program);
(await import("./commands/kv-precision-bench.js")).registerKvPrecisionBenchCommand(program);
(await import("./commands/warmup-bench.js")).registerWarmupBenchCommand(program);
(await import("./commands/plan.js")).registerPlanCommand(program);
(await import("./commands/bench.js")).registerBenchCommand(program);

await program.parseAsync(process.argv);
