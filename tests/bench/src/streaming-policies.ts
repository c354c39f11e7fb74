#!/usr/bin/env node
// Streaming policies on the GSM8K replay: time to first token and quality of
// the cascade under `buffered` (a judged answer is held until the QE accepts
// it) and `early` (the QE judges the first N tokens, then the answer streams
// live), against no cascade (every request pinned to one tier). Two simulated
// tiers replay recorded GSM8K answers (small: Mixtral-8x7B's, large: GPT-4
// Turbo's) with H100 timings; the learned router and the trained judge use
// artifacts/gsm8k-mmlu. Questions: the trainer's held-out test split.
// Quality: the recorded correctness label of the answer the client got.
//   pnpm bench:streaming-policies [--questions 120] [--concurrency 4] [--speedup 10] [--early-tokens 32] [--json]
import { startStack, repoRoot } from "@weir/cli/stack";
import { assignSplit, loadGsm8k, type LabelledRow } from "@weir/datasets";
import { startNatsServer } from "@weir/testkit";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { summarize } from "./stats.js";

const { values: args } = parseArgs({
  options: {
    questions: { type: "string", default: "120" },
    concurrency: { type: "string", default: "4" },
    speedup: { type: "string", default: "10" },
    "early-tokens": { type: "string", default: "32" },
    json: { type: "boolean", default: false },
  },
});
const QUESTIONS = Number(args.questions);
const CONCURRENCY = Number(args.concurrency);
const log = (s: string): void => {
  if (!args.json) process.stdout.write(s + "\n");
};

const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const GPT4 = "gpt-4-1106-preview";
const COLUMN: Record<string, string> = { small: MIXTRAL, large: GPT4 };
const ARTIFACTS = join(repoRoot(), "artifacts/gsm8k-mmlu");

const CONFIG = `tiers:
  - name: small
    model: meta-llama/Llama-3.1-8B-Instruct
    engine: sim
    pricing: { inputPerMTok: 0.18, outputPerMTok: 0.18 }
    replicas: 1
    qeThreshold: 0.62
    engineOptions: { preset: llama-3.1-8b/h100, speedup: ${Number(args.speedup)}, replay: { dataset: gsm8k, model: ${MIXTRAL} } }
  - name: large
    model: meta-llama/Llama-3.1-70B-Instruct
    engine: sim
    pricing: { inputPerMTok: 0.9, outputPerMTok: 0.9 }
    replicas: 1
    qeThreshold: 0
    engineOptions: { preset: llama-3.1-70b/h100x4, speedup: ${Number(args.speedup)}, replay: { dataset: gsm8k, model: ${GPT4} } }
gateway:
  httpPort: 0
  grpcPort: 0
  requestTimeoutMs: 120000
  earlyJudgeTokens: ${Number(args["early-tokens"])}
router:
  policy: learned
  artifacts: ${ARTIFACTS}
judge:
  scorer: trained
  artifacts: ${ARTIFACTS}
`;

interface Mode {
  name: string;
  model: string;
  streaming?: "buffered" | "early";
}
const MODES: Mode[] = [
  { name: "cascade, buffered", model: "weir-auto", streaming: "buffered" },
  { name: "cascade, early", model: "weir-auto", streaming: "early" },
  { name: "no cascade: small", model: "small" },
  { name: "no cascade: large", model: "large" },
];

interface Outcome {
  ttftMs: number;
  e2eMs: number;
  correct: boolean;
  escalated: boolean;
  costUsd: number;
  /** The streamed text is exactly the recorded answer of the tier that answered (no rejected tokens leaked). */
  clean: boolean;
}

/** One streamed chat completion: time to the first content delta, the text, and the weir object of the last chunk. */
async function ask(httpUrl: string, mode: Mode, row: LabelledRow): Promise<Outcome> {
  const t0 = performance.now();
  const res = await fetch(`${httpUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(mode.streaming ? { "x-weir-streaming": mode.streaming } : {}) },
    body: JSON.stringify({ model: mode.model, messages: [{ role: "user", content: row.prompt }], stream: true }),
  });
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  let ttftMs = Number.NaN;
  let text = "";
  let weir: { tier: string; escalated: boolean; cost_usd: number } | undefined;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const bytes of res.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.slice("data: ".length);
      if (data === "[DONE]") continue;
      const chunk = JSON.parse(data) as { choices: { delta: { content?: string } }[]; weir?: typeof weir };
      const content = chunk.choices[0]?.delta.content ?? "";
      if (content !== "") {
        if (Number.isNaN(ttftMs)) ttftMs = performance.now() - t0;
        text += content;
      }
      if (chunk.weir) weir = chunk.weir;
    }
  }
  const e2eMs = performance.now() - t0;
  const tier = weir?.tier ?? mode.model;
  return {
    ttftMs,
    e2eMs,
    correct: row.correct[COLUMN[tier] ?? ""] === true,
    escalated: weir?.escalated ?? false,
    costUsd: weir?.cost_usd ?? 0,
    clean: text === (row.response[COLUMN[tier] ?? ""] ?? "").trim() || text === row.response[COLUMN[tier] ?? ""],
  };
}

async function runMode(httpUrl: string, mode: Mode, rows: LabelledRow[]): Promise<Outcome[]> {
  const out: Outcome[] = new Array(rows.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < rows.length; i = next++) out[i] = await ask(httpUrl, mode, rows[i]!);
    }),
  );
  return out;
}

const all = loadGsm8k().rows.filter(
  (r) => assignSplit(r.id, { seed: 42, fractions: { train: 0.8, validation: 0, test: 0.2 } }) === "test" && r.response[MIXTRAL] && r.response[GPT4],
);
const rows = all.slice(0, QUESTIONS);
const dir = mkdtempSync(join(tmpdir(), "weir-bench-streaming-"));
writeFileSync(join(dir, "weir.yaml"), CONFIG);
const nats = await startNatsServer();
const stack = await startStack({ configPath: join(dir, "weir.yaml"), natsUrl: nats.url, env: { LOG_LEVEL: "warn" }, onLine: () => {} });
try {
  log(`GSM8K replay, ${rows.length} held-out questions, ${CONCURRENCY} in flight, sim speedup ×${args.speedup}, early judges ${args["early-tokens"]} tokens`);
  // Warm every path once (connections, JIT) before measuring.
  for (const mode of MODES) await ask(stack.httpUrl, mode, rows[0]!);
  const results: Record<string, unknown>[] = [];
  log(`${"mode".padEnd(20)} ${"accuracy".padStart(8)} ${"TTFT p50".padStart(10)} ${"TTFT p90".padStart(10)} ${"e2e p50".padStart(10)} ${"escalated".padStart(9)} ${"$/1k req".padStart(9)} ${"leaks".padStart(5)}`);
  for (const mode of MODES) {
    const outcomes = await runMode(stack.httpUrl, mode, rows);
    const ttft = summarize(outcomes.map((o) => o.ttftMs));
    const e2e = summarize(outcomes.map((o) => o.e2eMs));
    const accuracy = outcomes.filter((o) => o.correct).length / outcomes.length;
    const escalated = outcomes.filter((o) => o.escalated).length / outcomes.length;
    const costPer1k = (1000 * outcomes.reduce((a, o) => a + o.costUsd, 0)) / outcomes.length;
    const leaks = outcomes.filter((o) => !o.clean).length;
    results.push({ mode: mode.name, accuracy, ttftP50Ms: ttft.p50, ttftP90Ms: ttft.p90, e2eP50Ms: e2e.p50, escalated, costPer1kUsd: costPer1k, leaks });
    log(
      `${mode.name.padEnd(20)} ${accuracy.toFixed(3).padStart(8)} ${ttft.p50.toFixed(0).padStart(7)} ms ${ttft.p90.toFixed(0).padStart(7)} ms ${e2e.p50.toFixed(0).padStart(7)} ms ${(100 * escalated).toFixed(0).padStart(8)}% ${costPer1k.toFixed(4).padStart(9)} ${String(leaks).padStart(5)}`,
    );
  }
  if (args.json) process.stdout.write(JSON.stringify({ questions: rows.length, concurrency: CONCURRENCY, speedup: Number(args.speedup), results }, null, 2) + "\n");
} finally {
  await stack.stop();
  await nats.stop();
  rmSync(dir, { recursive: true, force: true });
}
