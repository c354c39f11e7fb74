import type { Command } from "commander";
import { createSimSetup, parseReplaySpec, startSimServer, type ReplaySpec } from "@weir/sim-server";

export interface SimServerCommandOptions {
  port: string;
  host: string;
  model?: string;
  preset: string;
  speedup?: string;
  seed?: string;
  maxNumSeqs?: string;
  maxNumBatchedTokens?: string;
  replay?: string;
}

/** Adds `weir sim-server` to the program. */
export function registerSimServerCommand(program: Command): void {
  program
    .command("sim-server")
    .description("serve one simulated model as an OpenAI-compatible HTTP server (like vLLM's, for the openai engine, benchmarks and any OpenAI client)")
    .option("--port <n>", "port to listen on (0 picks a free one)", "8000")
    .option("--host <addr>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
    .option("--model <name>", "model name to serve under (default: the preset's model, e.g. meta-llama/Llama-3.1-8B-Instruct)")
    .option("--preset <id>", "simulated model and hardware", "llama-3.1-8b/h100")
    .option("--speedup <n>", "run this many times faster than the modelled hardware (default 1: real time)")
    .option("--seed <n>", "seed of the simulator's step-time jitter (default 0)")
    .option("--max-num-seqs <n>", "vLLM's --max-num-seqs (default 256)")
    .option("--max-num-batched-tokens <n>", "vLLM's --max-num-batched-tokens (default 8192)")
    .option("--replay <dataset:model>", "answer dataset questions with a model's recorded answers, e.g. gsm8k:gpt-4-1106-preview")
    .action((opts: SimServerCommandOptions) => simServerCommand(opts));
}

/**
 * `weir sim-server`: the simulated engine behind an OpenAI-compatible API,
 * in the foreground. Prints its URL (and a WEIR_READY line, so scripts and
 * tests can wait for it); Ctrl-C or SIGTERM stops it.
 */
export async function simServerCommand(opts: SimServerCommandOptions): Promise<void> {
  let setup: ReturnType<typeof createSimSetup>;
  let port: number;
  try {
    port = integer("--port", opts.port, 0, 65535);
    const replay: ReplaySpec | undefined = opts.replay === undefined ? undefined : parseReplaySpec(opts.replay);
    setup = createSimSetup({
      preset: opts.preset,
      speedup: opts.speedup === undefined ? undefined : positive("--speedup", opts.speedup),
      seed: opts.seed === undefined ? undefined : integer("--seed", opts.seed, 0),
      maxNumSeqs: opts.maxNumSeqs === undefined ? undefined : integer("--max-num-seqs", opts.maxNumSeqs, 1),
      maxNumBatchedTokens:
        opts.maxNumBatchedTokens === undefined ? undefined : integer("--max-num-batched-tokens", opts.maxNumBatchedTokens, 1),
      replay,
    });
  } catch (err) {
    return fail(err, 2);
  }
  const model = opts.model ?? setup.engine.model;
  const server = await startSimServer({ engine: setup.engine, model, host: opts.host, port, metrics: setup.metrics }).catch(
    (err: unknown) => fail(err, 1),
  );
  const root = server.url.replace(/\/v1$/, "");
  process.stdout.write(
    [
      `weir sim-server: serving ${model} (${setup.description})`,
      `  OpenAI-compatible API:  ${server.url}`,
      `  health, metrics:        ${root}/health, ${root}/metrics`,
      "Ctrl-C stops it.",
      `WEIR_READY ${JSON.stringify({ service: "sim-server", url: server.url, host: server.host, port: server.port, model })}`,
      "",
    ].join("\n"),
  );
  const stop = async (): Promise<void> => {
    setup.engine.stop();
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

function fail(err: unknown, code: number): never {
  process.stderr.write(`weir sim-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(code);
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${flag} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`} (got "${text}")`);
  }
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${flag} must be a number > 0 (got "${text}")`);
  return n;
}
