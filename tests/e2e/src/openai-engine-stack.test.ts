import { repoRoot } from "@weir/cli/stack";
import { startProcess, type ProcessHandle } from "@weir/testkit";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";
import { collectChatStream } from "./openai-stream.js";

// A model-worker with `engine: openai` in front of a `weir sim-server`
// process (the simulated engine behind an OpenAI-compatible API, as vLLM
// would be), inside the running stack, answering through the gateway.
const UPSTREAM_MODEL = "test/upstream-llama";
let sim: ProcessHandle;
let simUrl: string;
let fx: StackFixture;
let openai: OpenAI;

beforeAll(async () => {
  sim = await startProcess({
    name: "sim-server",
    command: process.execPath,
    args: [join(repoRoot(), "packages/cli/dist/main.js"), "sim-server", "--port", "0", "--model", UPSTREAM_MODEL, "--speedup", "20"],
    echo: process.env.WEIR_E2E_VERBOSE !== undefined,
  });
  simUrl = String(sim.info.url);
  fx = await startStackFixture({
    tiers: [
      {
        name: "remote",
        replicas: 1,
        qeThreshold: 0,
        engine: "openai",
        model: UPSTREAM_MODEL,
        engineOptions: { baseUrl: simUrl, retries: 1, timeouts: { connectMs: 1000, firstTokenMs: 5000, idleMs: 5000 } },
      },
    ],
  });
  openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});

afterAll(async () => {
  await fx?.stop();
  await sim?.stop();
});

const question = [{ role: "user" as const, content: "Explain in one paragraph what a weir does to a river." }];

async function simMetric(name: string): Promise<number> {
  const text = await (await fetch(simUrl.replace(/\/v1$/, "/metrics"))).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("engine: openai in front of weir sim-server", () => {
  it("answers through the gateway, with the upstream's usage", async () => {
    const before = await simMetric("vllm:request_success_total");
    const { data, response } = await openai.chat.completions
      .create({ model: "weir-auto", messages: question, max_tokens: 48 })
      .withResponse();
    expect(response.headers.get("x-weir-tier")).toBe("remote");
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeLessThanOrEqual(48);
    // The sim-server really generated it: its own vLLM counters moved.
    expect(await simMetric("vllm:request_success_total")).toBe(before + 1);
  });

  it("streams the same answer, with usage, and serves legacy completions", async () => {
    const plain = await openai.chat.completions.create({ model: "remote", messages: question, max_tokens: 32 });
    const stream = await openai.chat.completions.create({
      model: "remote",
      messages: question,
      max_tokens: 32,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, chunks, usage } = await collectChatStream(stream);
    expect(chunks).toBeGreaterThan(2);
    // The simulator's filler text is a function of the prompt: same prompt, same answer.
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(plain.usage?.completion_tokens);
    const legacy = await openai.completions.create({ model: "remote", prompt: "Say hello", max_tokens: 8 });
    expect(legacy.choices[0]?.text.length).toBeGreaterThan(0);
  });

  it("reports the upstream's latencies on the worker's /metrics", async () => {
    const worker = fx.stack.process("worker:remote-1");
    const text = await (await fetch(`http://127.0.0.1:${String(worker?.info.opsPort)}/metrics`)).text();
    expect(text).toMatch(/weir_upstream_time_to_first_token_seconds_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/weir_upstream_requests_total\{[^}]*outcome="(stop|length)"[^}]*\} [1-9]/);
  });

  it("fails fast with 503 when the upstream is down, the worker's sentence naming the server", async () => {
    await sim.stop();
    const err = await openai.chat.completions.create({ model: "remote", messages: question, max_tokens: 8 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    // The cascade takes a failure before the first token as the instance's and
    // places the request again; with no other instance the client gets the
    // scheduler's 503, and the worker's own sentence is on the step's span.
    const expected = `cannot reach the OpenAI-compatible server at ${simUrl}: connect ECONNREFUSED`;
    const spans = await fx.otlp.waitForSpans(
      (all) => all.some((s) => s.events.some((e) => String(e.attributes["exception.message"] ?? "").startsWith(expected))),
      10_000,
    );
    const failed = spans.flatMap((s) => s.events).find((e) => e.name === "weir.worker.failed");
    expect(String(failed?.attributes["exception.message"])).toMatch(/\(after 2 attempts\)$/);
  });
});
