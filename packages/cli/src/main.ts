#!/usr/bin/env node
import { Command } from "commander";
import { startCommand } from "./commands/start.js";

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

await program.parseAsync(process.argv);
