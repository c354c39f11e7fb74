#!/usr/bin/env node
// Overhead of Weir's request path: the full cascade (gateway → router →
// scheduler (→ kv-cache-manager) → model-worker → qe-judge) against calling
// the same worker directly, with a zero-delay engine, every service a
// separate process on a real nats-server. Prints added latency p50/p99,
// per-hop costs, and sustained req/s at a fixed concurrency.
//   pnpm bench:overhead [--requests 2000] [--concurrency 32] [--seconds 10] [--json]
import { ServicePrefix, connectBus, createServiceClient } from "@weir/bus";
import { startStack } from "@weir/cli/stack";
import { createClient } from "@weir/grpc";
import { InferenceService, QualityService, RouterService, SchedulerService, WorkerService } from "@weir/proto";
import { startNatsServer } from "@weir/testkit";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closedLoop, sequential } from "./load.js";
import { fmt } from "./stats.js";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    seconds: { type: "string", default: "10" },
    json: { type: "boolean", default: false },
  },
});
const N = Number(args.requests);
const C = Number(args.concurrency);
const SECONDS = Number(args.seconds);
const log = (s: string) => {
  if (!args.json) process.stdout.write(s + "\n");
};

const CONFIG = `tiers:
  - name: small
    model: bench/small
    engine: placeholder
    pricing: { inputPerMTok: 0.2, outputPerMTok: 0.2 }
    replicas: 1
    qeThreshold: 0.5
    engineOptions: { tokenDelayMs: 0, maxConcurrency: 1024 }
  - name: large
    model: bench/large
    engine: placeholder
    pricing: { inputPerMTok: 0.9, outputPerMTok: 0.9 }
    replicas: 1
    qeThreshold: 0
    engineOptions: { tokenDelayMs: 0, maxConcurrency: 1024 }
gateway:
  httpPort: 0
  grpcPort: 0
`;

const dir = mkdtempSync(join(tmpdir(), "weir-bench-"));
writeFileSync(join(dir, "weir.yaml"), CONFIG);
const nats = await startNatsServer();
const stack = await startStack({ configPath: join(dir, "weir.yaml"), natsUrl: nats.url, env: { LOG_LEVEL: "warn" } });
const bus = await connectBus({ name: "bench", url: nats.url });

try {
  const worker = stack.process("worker:small-1");
  const workerClient = createClient(WorkerService, String(worker?.info.address));
  const gateway = createClient(InferenceService, stack.grpcAddress);
  const messages = [{ role: "user", content: "What is the capital of France? Answer in one word." }];
  const maxTokens = 16;

  // The same worker request the gateway makes for a judged rung or a
  // non-streaming client: tokens coalesced into one message.
  const direct = () =>
    drain(workerClient.generateTokens({ requestId: "b", tier: "small", messages, maxTokens, maxTokensPerMessage: 256 }));
  const viaGrpc = () => gateway.generate({ input: { model: "weir-auto", messages, maxTokens } });
  const body = JSON.stringify({ model: "weir-auto", messages, max_tokens: maxTokens });
  const viaHttp = async () => {
    const res = await fetch(`${stack.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.arrayBuffer();
  };
  // Per-hop: each control service called alone over NATS.
  const router = createServiceClient(bus, RouterService, ServicePrefix.router);
  const scheduler = createServiceClient(bus, SchedulerService, ServicePrefix.scheduler);
  const judge = createServiceClient(bus, QualityService, ServicePrefix.qe);
  const hopPlan = () => router.plan({ model: "weir-auto", messages, promptTokens: 16 });
  const hopPlace = () => scheduler.place({ tier: "small", promptTokens: 16 });
  const hopScore = () => judge.score({ tier: "small", prompt: "p", response: "Paris", threshold: 0.5, finishReason: "stop" });

  log(`Weir request-path overhead — ${cpus().length} cores, zero-delay placeholder engine, ${maxTokens} output tokens`);
  log(`sequential latency over ${N} requests each (after warm-up):`);
  const lat = {
    direct: await sequential(N, direct),
    grpc: await sequential(N, viaGrpc),
    http: await sequential(N, viaHttp),
  };
  const hops = {
    plan: await sequential(N, hopPlan),
    place: await sequential(N, hopPlace),
    score: await sequential(N, hopScore),
  };
  const added = {
    grpc: { p50: lat.grpc.p50 - lat.direct.p50, p99: lat.grpc.p99 - lat.direct.p99 },
    http: { p50: lat.http.p50 - lat.direct.p50, p99: lat.http.p99 - lat.direct.p99 },
  };
  log(`  worker direct (gRPC stream)     p50 ${fmt(lat.direct.p50)}  p99 ${fmt(lat.direct.p99)}`);
  log(`  full cascade via gRPC API       p50 ${fmt(lat.grpc.p50)}  p99 ${fmt(lat.grpc.p99)}  → added p50 ${fmt(added.grpc.p50)}, p99 ${fmt(added.grpc.p99)}`);
  log(`  full cascade via HTTP (OpenAI)  p50 ${fmt(lat.http.p50)}  p99 ${fmt(lat.http.p99)}  → added p50 ${fmt(added.http.p50)}, p99 ${fmt(added.http.p99)}`);
  log(`per-hop round trips (NATS request/reply, bench → service):`);
  log(`  router.plan                     p50 ${fmt(hops.plan.p50)}  p99 ${fmt(hops.plan.p99)}`);
  log(`  scheduler.place (+kv match)     p50 ${fmt(hops.place.p50)}  p99 ${fmt(hops.place.p99)}`);
  log(`  qe.score                        p50 ${fmt(hops.score.p50)}  p99 ${fmt(hops.score.p99)}`);

  log(`throughput, ${C} requests in flight for ${SECONDS} s:`);
  const tput = {
    direct: await closedLoop(C, SECONDS, direct),
    grpc: await closedLoop(C, SECONDS, viaGrpc),
    http: await closedLoop(C, SECONDS, viaHttp),
  };
  for (const [name, t] of Object.entries(tput)) {
    log(`  ${name.padEnd(8)} ${t.reqPerSec.toFixed(0).padStart(6)} req/s  (p50 ${fmt(t.latency.p50)}, p99 ${fmt(t.latency.p99)}, failed ${t.failed})`);
  }
  if (args.json) {
    process.stdout.write(JSON.stringify({ cores: cpus().length, requests: N, latency: lat, added, hops, throughput: tput }, null, 2) + "\n");
  }
  workerClient.close();
  gateway.close();
} finally {
  await bus.close();
  await stack.stop();
  await nats.stop();
  rmSync(dir, { recursive: true, force: true });
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}
