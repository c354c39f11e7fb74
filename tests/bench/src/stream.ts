#!/usr/bin/env node
// Token-stream throughput through one model-worker: a stack with one tier
// and one worker (the simulated engine sped up until it outruns any
// transport, or the zero-delay placeholder), many concurrent clients, and
// the output tokens and messages received per second of wall clock over a
// fixed window, through the gateway and from the worker directly. Workers
// send every ready token, up to max_tokens_per_message, and never wait for
// more: the cascade asks for ≤ 16 for a streaming client on the final rung,
// ≤ 256 for non-streaming clients and judged rungs.
//   pnpm bench:stream [--engine sim|placeholder] [--speedup 1000] [--concurrency 64] [--seconds 10] [--warmup 2]
//                     [--max-tokens 256] [--only worker-per-token,worker-16,worker-coalesced,grpc-stream,grpc-unary,http-sse] [--json]
import { startStack } from "@weir/cli/stack";
import { createClient } from "@weir/grpc";
import { InferenceService, WorkerService } from "@weir/proto";
import { startNatsServer } from "@weir/testkit";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuMeter } from "./cpu-usage.js";
import { gatewayStream, gatewayUnary, httpSse, workerStream } from "./stream-clients.js";
import { type StreamSink, type WindowResult, tokenWindow } from "./token-window.js";

const { values: args } = parseArgs({
  options: {
    engine: { type: "string", default: "sim" },
    concurrency: { type: "string", default: "64" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    "max-tokens": { type: "string", default: "256" },
    speedup: { type: "string", default: "1000" },
    only: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const C = Number(args.concurrency);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const MAX_TOKENS = Number(args["max-tokens"]);
const TARGET = 20_000;
if (args.engine !== "sim" && args.engine !== "placeholder") throw new Error(`--engine must be sim or placeholder (got "${args.engine}")`);
for (const [flag, n] of Object.entries({ concurrency: C, seconds: SECONDS, "max-tokens": MAX_TOKENS, speedup: Number(args.speedup) })) {
  if (!(n > 0)) throw new Error(`--${flag} must be a number > 0`);
}
const log = (s: string) => {
  if (!args.json) process.stdout.write(s + "\n");
};

// sim: the Llama-3.1-8B/H100 model run `speedup` times faster than real
// time, so the GPU it models is never the bottleneck; placeholder: no timers.
const ENGINE =
  args.engine === "placeholder"
    ? `engine: placeholder\n    engineOptions: { tokenDelayMs: 0, maxConcurrency: 1024 }`
    : `engine: sim\n    engineOptions: { preset: llama-3.1-8b/h100, speedup: ${Number(args.speedup)} }`;
const CONFIG = `tiers:
  - name: solo
    model: bench/solo
    ${ENGINE}
    replicas: 1
gateway:
  httpPort: 0
  grpcPort: 0
`;

const dir = mkdtempSync(join(tmpdir(), "weir-bench-stream-"));
writeFileSync(join(dir, "weir.yaml"), CONFIG);
const nats = await startNatsServer();
const stack = await startStack({
  configPath: join(dir, "weir.yaml"),
  natsUrl: nats.url,
  env: { LOG_LEVEL: "warn" },
  onLine: (label, line, stream) => {
    if (stream === "stderr") process.stderr.write(`[${label}] ${line}\n`);
  },
});

try {
  const worker = createClient(WorkerService, String(stack.process("worker:solo-1")?.info.address));
  // A few channels, as separate clients would have: one HTTP/2 connection each.
  const gateways = Array.from({ length: 4 }, () => createClient(InferenceService, stack.grpcAddress));
  const messages = [{ role: "user", content: "Write a long story about a lighthouse keeper and the sea." }];

  const modes: Record<string, { what: string; call: (sink: StreamSink) => Promise<void> }> = {
    "worker-per-token": { what: "worker direct, 1 token/message", call: workerStream(worker, messages, MAX_TOKENS, 1) },
    // What the gateway asks for a streaming client on the final rung (see README).
    "worker-16": { what: "worker direct, ≤16 tokens/message", call: workerStream(worker, messages, MAX_TOKENS, 16) },
    "worker-coalesced": { what: "worker direct, ≤256 tokens/message", call: workerStream(worker, messages, MAX_TOKENS, 256) },
    "grpc-stream": { what: "gateway gRPC GenerateStream (streaming client)", call: gatewayStream(gateways, messages, MAX_TOKENS) },
    "grpc-unary": { what: "gateway gRPC Generate (non-streaming client)", call: gatewayUnary(gateways, messages, MAX_TOKENS) },
    "http-sse": { what: "gateway HTTP SSE, stream: true", call: httpSse(stack.httpUrl, messages, MAX_TOKENS) },
  };
  const selected = args.only === undefined ? Object.keys(modes) : args.only.split(",");

  log(`Weir token streaming — ${cpus().length} cores, one ${args.engine} worker, ${C} concurrent clients, max_tokens ${MAX_TOKENS}`);
  log(`wall clock, ${SECONDS} s window after ${WARMUP} s warm-up; target ≥ ${TARGET.toLocaleString("en-US")} tokens/s streaming through the gateway`);
  // CPU of the processes on the token path, over each window: shows which one saturates a core.
  const pids: Record<string, number> = { bench: process.pid };
  for (const label of ["gateway", "worker:solo-1"]) {
    const pid = stack.process(label)?.child.pid;
    if (pid !== undefined) pids[label.replace(/:.*/, "")] = pid;
  }
  const meter = cpuMeter(pids);
  const results: Record<string, WindowResult & { cpuCores: Record<string, number> }> = {};
  for (const name of selected) {
    const mode = modes[name];
    if (mode === undefined) throw new Error(`--only: no mode "${name}" (${Object.keys(modes).join(", ")})`);
    let cpuCores: Record<string, number> = {};
    const r = await tokenWindow(C, WARMUP, SECONDS, mode.call, { onStart: meter.start, onEnd: () => (cpuCores = meter.since()) });
    results[name] = { ...r, cpuCores };
    log(
      `  ${mode.what.padEnd(48)} ${fmt(r.tokensPerSecond).padStart(8)} tokens/s  ${fmt(r.messagesPerSecond).padStart(8)} msgs/s` +
        `  (${r.tokensPerMessage.toFixed(1)} tokens/msg, ${r.requests} requests, failed ${r.failed})`,
    );
    log(`  ${"".padEnd(48)} CPU cores: ${Object.entries(cpuCores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}`);
  }
  if (args.json) {
    process.stdout.write(
      JSON.stringify({ cores: cpus().length, engine: args.engine, concurrency: C, maxTokens: MAX_TOKENS, results }, null, 2) + "\n",
    );
  }
  worker.close();
  for (const g of gateways) g.close();
} finally {
  await stack.stop();
  await nats.stop();
  rmSync(dir, { recursive: true, force: true });
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
