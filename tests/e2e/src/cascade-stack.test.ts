import { createClient } from "@weir/grpc";
import { InferenceService } from "@weir/proto";
import { ErrorCode, WeirError } from "@weir/errors";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";
import { collectChatStream } from "./openai-stream.js";

// One running stack (six services as separate processes, a real nats-server)
// shared by the tests of this file. Tier "orphan" has no worker on purpose.
let fx: StackFixture;
let openai: OpenAI;

beforeAll(async () => {
  fx = await startStackFixture({
    tiers: [
      // Two small workers: placement has a choice, so it consults the KV index.
      { name: "small", replicas: 2, qeThreshold: 0.7 },
      { name: "large", replicas: 1, qeThreshold: 0 },
      { name: "orphan", replicas: 0, qeThreshold: 0 },
    ],
    maxBodyBytes: 65536,
  });
  openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});

afterAll(async () => {
  await fx?.stop();
});

const longPrompt =
  "A farmer has 17 rows of apple trees with 23 trees in each row. Each tree gives 41 apples in a good year " +
  "and 29 in a bad year. Over three good years and two bad years, how many apples does the farm produce?";
const question = [{ role: "user" as const, content: "What is 17 * 23? Explain briefly." }];

describe("OpenAI client against the gateway", () => {
  it("gets a chat completion (non-streaming) with usage and cascade metadata", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "weir-auto", messages: question, max_tokens: 64 })
      .withResponse();
    const content = data.choices[0]?.message.content ?? "";
    expect(content.length).toBeGreaterThan(0);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
    // The placeholder judge accepts the small tier's complete answer (0.85 ≥ 0.7).
    expect(response.headers.get("x-weir-tier")).toBe("small");
    expect(response.headers.get("x-weir-path")).toBe("small");
    expect(response.headers.get("x-weir-escalated")).toBe("false");
    const weir = (data as unknown as { weir: { tier: string; cost_usd: number; path: unknown[] } }).weir;
    expect(weir.tier).toBe("small");
    expect(weir.cost_usd).toBeGreaterThan(0);
    expect(weir.path).toHaveLength(1);
  });

  it("streams the same answer token by token", async () => {
    const plain = await openai.chat.completions.create({ model: "weir-auto", messages: question, max_tokens: 64 });
    const stream = await openai.chat.completions.create({
      model: "weir-auto",
      messages: question,
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, chunks, usage } = await collectChatStream(stream);
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(plain.usage?.completion_tokens);
  });

  it("serves legacy completions", async () => {
    const res = await openai.completions.create({ model: "weir-auto", prompt: "Say hello", max_tokens: 16 });
    expect(res.choices[0]?.text.length).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("lists weir-auto and every tier", async () => {
    const ids = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toEqual(["weir-auto", "small", "large", "orphan"]);
  });

  it("naming a tier bypasses routing", async () => {
    const { response } = await openai.chat.completions
      .create({ model: "large", messages: question, max_tokens: 16 })
      .withResponse();
    expect(response.headers.get("x-weir-tier")).toBe("large");
    expect(response.headers.get("x-weir-path")).toBe("large");
  });
});

describe("gRPC inference API", () => {
  it("streams an answer with the cascade summary in the last message", async () => {
    const client = createClient(InferenceService, fx.stack.grpcAddress);
    try {
      let text = "";
      let final;
      for await (const msg of client.generateStream({ input: { model: "weir-auto", messages: question, maxTokens: 64 } })) {
        text += msg.textDelta;
        if (msg.finishReason) final = msg;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(final?.cascade?.tier).toBe("small");
      expect(final?.usage?.completionTokens).toBeGreaterThan(0);
      const unary = await client.generate({ input: { model: "weir-auto", messages: question, maxTokens: 64 } });
      expect(unary.text).toBe(text);
      const models = await client.listModels({});
      expect(models.models.map((m) => m.id)).toContain("weir-auto");
    } finally {
      client.close();
    }
  });

  it("answers an invalid request with INVALID_ARGUMENT and a sentence", async () => {
    const client = createClient(InferenceService, fx.stack.grpcAddress);
    try {
      const err = await client.generate({}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeirError);
      expect((err as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((err as WeirError).message).toMatch(/input/);
      const noMessages = await client.generate({ input: { model: "weir-auto" } }).catch((e: unknown) => e);
      expect((noMessages as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });
});

describe("bad input gets a clear error", () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${fx.stack.httpUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(15_000),
    });

  it("malformed JSON → 400", async () => {
    const res = await post("/v1/chat/completions", "{not json");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/JSON/);
  });

  it("missing messages → 400 naming the field", async () => {
    const res = await post("/v1/chat/completions", JSON.stringify({ model: "weir-auto" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; param: string | null } };
    expect(body.error.param).toBe("messages");
  });

  it("unknown model → 404", async () => {
    const err = await openai.chat.completions.create({ model: "gpt-17", messages: question }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/gpt-17/);
  });

  it("body over the configured limit → 413", async () => {
    const big = JSON.stringify({ model: "weir-auto", messages: [{ role: "user", content: "x".repeat(100_000) }] });
    const res = await post("/v1/chat/completions", big);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/65536|limit/);
  });

  it("no live worker for a tier → 503 with a sentence, within the deadline", async () => {
    const started = Date.now();
    const err = await openai.chat.completions.create({ model: "orphan", messages: question }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toMatch(/orphan/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("tracing", () => {
  it("one request produces one trace across gateway, router, scheduler, kv-cache-manager, model-worker and qe-judge", async () => {
    const traceId = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const parentSpanId = "00f067aa0ba902b7";
    const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${parentSpanId}-01` },
      // Long enough to fill several 16-token KV blocks, so the scheduler consults the KV index.
      body: JSON.stringify({ model: "weir-auto", messages: [{ role: "user", content: longPrompt }], max_tokens: 32 }),
    });
    expect(res.status).toBe(200);
    const wanted = ["gateway", "router", "scheduler", "kv-cache-manager", "model-worker", "qe-judge"];
    // Each process exports on its own schedule: wait until every service has
    // reported and every span's parent has arrived (a broken chain never
    // completes, and the wait fails).
    const spans = await fx.otlp.waitForSpans((all) => {
      const mine = all.filter((s) => s.traceId === traceId);
      const ids = new Set(mine.map((s) => s.spanId));
      return (
        wanted.every((svc) => mine.some((s) => s.serviceName === svc)) &&
        mine.some((s) => s.parentSpanId === parentSpanId) &&
        mine.every((s) => s.parentSpanId === parentSpanId || ids.has(s.parentSpanId ?? ""))
      );
    }, 10_000);
    const mine = spans.filter((s) => s.traceId === traceId);
    const byId = new Map(mine.map((s) => [s.spanId, s]));
    // Every span hangs off another span of this trace, except the gateway's
    // root, whose parent is the client's span from the traceparent header.
    for (const span of mine) {
      if (span.parentSpanId === parentSpanId) {
        expect(span.serviceName).toBe("gateway");
        continue;
      }
      expect(byId.has(span.parentSpanId ?? ""), `parent of ${span.serviceName}/${span.name}`).toBe(true);
    }
    // Cross-process edges: each service's server span is a child of a gateway
    // (or scheduler, for the KV index) client span.
    const serverOf = (svc: string) => mine.find((s) => s.serviceName === svc && s.kind === "SERVER");
    for (const svc of ["router", "scheduler", "model-worker", "qe-judge"]) {
      const server = serverOf(svc);
      expect(server, `${svc} server span`).toBeDefined();
      expect(byId.get(server?.parentSpanId ?? "")?.serviceName).toBe("gateway");
    }
    expect(byId.get(serverOf("kv-cache-manager")?.parentSpanId ?? "")?.serviceName).toBe("scheduler");
  });
});
