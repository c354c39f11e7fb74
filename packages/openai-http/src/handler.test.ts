import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { SpanKind } from "@opentelemetry/api";
import { createCascade } from "@weir/cascade";
import { ErrorCode, WeirError } from "@weir/errors";
import { ModelInfoSchema } from "@weir/proto";
import { waitFor } from "@weir/testkit";
import { installTestTracing } from "@weir/testkit/tracing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAiHandler, type OpenAiHandlerDeps } from "./handler.js";
import { fakeCascade, type CascadeScript } from "./test-support/fake-cascade.js";

const tracing = installTestTracing();
beforeEach(() => tracing.reset());

const MODELS = [
  create(ModelInfoSchema, { id: "weir-auto", kind: "cascade" }),
  create(ModelInfoSchema, { id: "small", kind: "tier", servedModel: "org/small-8b", inputPricePerMtok: 0.1, outputPricePerMtok: 0.2 }),
  create(ModelInfoSchema, { id: "large", kind: "tier", servedModel: "org/large-70b", inputPricePerMtok: 1, outputPricePerMtok: 2 }),
];

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function start(
  overrides: Partial<OpenAiHandlerDeps> & { script?: CascadeScript } = {},
): Promise<{ url: string; cascade: ReturnType<typeof fakeCascade> }> {
  const cascade = fakeCascade(overrides.script);
  const handler = createOpenAiHandler({
    cascade,
    models: () => MODELS,
    maxBodyBytes: 64 * 1024,
    requestTimeoutMs: 5_000,
    ready: () => true,
    newRequestId: () => "req-42",
    ...overrides,
  });
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cascade };
}

const CHAT = { model: "weir-auto", messages: [{ role: "user", content: "Hi" }] };

function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

/** The SSE events of a body: parsed JSON, or the literal "[DONE]". */
function sseEvents(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      expect(block.startsWith("data: ")).toBe(true);
      const data = block.slice("data: ".length);
      return data === "[DONE]" ? data : JSON.parse(data);
    });
}

async function expectError(res: Response, status: number, code: string, param: string | null = null) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/json");
  const body = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.param).toBe(param);
  expect(typeof body.error.message).toBe("string");
  expect(typeof body.error.type).toBe("string");
  return body.error;
}

describe("POST /v1/chat/completions", () => {
  it("answers with a chat.completion, usage, the weir object and x-weir headers", async () => {
    const { url, cascade } = await start();
    const res = await post(`${url}/v1/chat/completions`, {
      model: "weir-auto",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Hello " }, { type: "text", text: "there" }] },
      ],
      max_completion_tokens: 64,
      temperature: 0.2,
      stop: "\n\n",
      n: 1,
      // Extras OpenAI clients send are ignored.
      seed: 7,
      logit_bias: {},
      parallel_tool_calls: false,
    });

    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(res.headers.get("x-weir-tier")).toBe("large");
    expect(res.headers.get("x-weir-path")).toBe("small,large");
    expect(res.headers.get("x-weir-escalated")).toBe("true");
    expect(res.headers.get("x-weir-cost-usd")).toBe("0.0021");
    expect(res.headers.get("x-weir-qe-score")).toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: "chatcmpl-req-42",
      object: "chat.completion",
      model: "weir-auto",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello world" }, finish_reason: "stop" }],
      // cached_tokens: the prompt tokens a prefix cache saved, as OpenAI reports them.
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 8 } },
      weir: {
        tier: "large",
        path: [
          { tier: "small", instance_id: "s1", qe_score: 0.2, qe_threshold: 0.5, accepted: false, cost_usd: 0.0001 },
          { tier: "large", instance_id: "l1", qe_score: null, qe_threshold: 0, accepted: true, cost_usd: 0.002 },
        ],
        escalated: true,
        qe_score: null,
        cost_usd: 0.0021,
        route_reason: "static ladder",
      },
    });
    expect(typeof body.created).toBe("number");

    const input = cascade.runs[0]?.input;
    expect(input?.model).toBe("weir-auto");
    expect(input?.messages.map((m) => [m.role, m.content])).toEqual([
      ["system", "Be brief."],
      ["user", "Hello there"],
    ]);
    expect(input?.maxTokens).toBe(64);
    expect(input?.temperature).toBe(0.2);
    expect(input?.stop).toEqual(["\n\n"]);
    expect(input?.requestId).toBe("req-42");
    expect(cascade.runs[0]?.requestId).toBe("req-42");
  });

  it("sets x-weir-qe-score when the accepted answer was judged, and keeps a client's x-request-id", async () => {
    const { url } = await start({
      script: {
        patch: (r) => {
          if (r.cascade) r.cascade.qeScore = 0.875;
        },
      },
    });
    const res = await post(`${url}/v1/chat/completions`, CHAT, {
      headers: { "content-type": "application/json", "x-request-id": "client-abc.1" },
    });
    expect(res.headers.get("x-weir-qe-score")).toBe("0.875");
    expect(res.headers.get("x-request-id")).toBe("client-abc.1");
    expect(((await res.json()) as { weir: { qe_score: number } }).weir.qe_score).toBe(0.875);
  });

  it("streams chat.completion.chunk events over SSE, headers sent with the first delta", async () => {
    const { url } = await start({ script: { tier: "small", deltas: ["Hel", "lo"] } });
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, stream: true });

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-weir-tier")).toBe("small");
    expect(res.headers.get("x-request-id")).toBe("req-42");
    const events = sseEvents(await res.text()) as Record<string, any>[];
    expect(events.at(-1)).toBe("[DONE]");
    const [role, c1, c2, finish] = events;
    expect(role).toMatchObject({
      id: "chatcmpl-req-42",
      object: "chat.completion.chunk",
      model: "weir-auto",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
    });
    expect(c1?.choices[0].delta).toEqual({ content: "Hel" });
    expect(c2?.choices[0].delta).toEqual({ content: "lo" });
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(finish?.weir).toMatchObject({ tier: "large", escalated: true });
    expect(events).toHaveLength(5);
  });

  it("adds a usage chunk (and the weir object on it) with stream_options.include_usage", async () => {
    const { url } = await start();
    const res = await post(`${url}/v1/chat/completions`, {
      ...CHAT,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = sseEvents(await res.text()) as Record<string, any>[];
    const [finish, usage, done] = events.slice(-3);
    expect(finish?.choices[0].finish_reason).toBe("stop");
    expect(finish?.weir).toBeUndefined();
    expect(usage).toMatchObject({
      object: "chat.completion.chunk",
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      weir: { tier: "large" },
    });
    expect(done).toBe("[DONE]");
  });

  it("still opens the stream when the answer is empty", async () => {
    const { url } = await start({ script: { deltas: [] } });
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-weir-tier")).toBe("large");
    const events = sseEvents(await res.text()) as Record<string, any>[];
    expect(events.map((e) => (e === ("[DONE]" as unknown) ? e : e.choices[0].finish_reason))).toEqual([null, "stop", "[DONE]"]);
  });
});

describe("POST /v1/completions", () => {
  it("answers with a text_completion", async () => {
    const { url, cascade } = await start();
    const res = await post(`${url}/v1/completions`, { model: "small", prompt: ["Once upon"], max_tokens: 5, echo: false });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: "cmpl-req-42",
      object: "text_completion",
      model: "small",
      choices: [{ index: 0, text: "Hello world", finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      weir: { tier: "large" },
    });
    expect(cascade.runs[0]?.input.prompt).toBe("Once upon");
    expect(cascade.runs[0]?.input.messages).toEqual([]);
    expect(cascade.runs[0]?.input.maxTokens).toBe(5);
    expect(cascade.runs[0]?.input.temperature).toBeUndefined();
  });

  it("streams text_completion chunks", async () => {
    const { url } = await start({ script: { deltas: ["a", "b"] } });
    const res = await post(`${url}/v1/completions`, { model: "weir-auto", prompt: "x", stream: true });
    const events = sseEvents(await res.text()) as Record<string, any>[];
    expect(events.map((e) => (e === ("[DONE]" as unknown) ? e : [e.object, e.choices[0].text, e.choices[0].finish_reason]))).toEqual([
      ["text_completion", "a", null],
      ["text_completion", "b", null],
      ["text_completion", "", "stop"],
      "[DONE]",
    ]);
    expect(events[2]?.weir).toMatchObject({ tier: "large" });
  });
});

describe("request errors", () => {
  it("400 for a body that is not JSON", async () => {
    const { url, cascade } = await start();
    const err = await expectError(await post(`${url}/v1/chat/completions`, "{not json"), 400, "invalid_argument");
    expect(err.message).toMatch(/^could not parse the request body as JSON: /);
    expect(err.type).toBe("invalid_request_error");
    expect(cascade.runs).toHaveLength(0);
  });

  it("400 naming messages when they are missing", async () => {
    const { url } = await start();
    const err = await expectError(await post(`${url}/v1/chat/completions`, { model: "weir-auto" }), 400, "invalid_argument", "messages");
    expect(err.message).toBe("messages is required");
  });

  it.each([
    [{ ...CHAT, n: 2 }, "n", /only 1 is supported/],
    [{ ...CHAT, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] }, "messages[0].content", /not supported/],
    [{ ...CHAT, max_tokens: 1.5 }, "max_tokens", /int/],
    [{ ...CHAT, stream: "yes" }, "stream", /boolean/],
    [[1, 2], null, /must be a JSON object/],
  ])("400 for invalid chat body %j", async (body, param, message) => {
    const { url } = await start();
    const err = await expectError(await post(`${url}/v1/chat/completions`, body), 400, "invalid_argument", param);
    expect(err.message).toMatch(message);
  });

  it.each([
    [{ model: "weir-auto", prompt: ["a", "b"] }, "prompt", /array of one string/],
    [{ model: "weir-auto", prompt: "a", echo: true }, "echo", /only false/],
    [{ model: "weir-auto" }, "prompt", /prompt is required/],
  ])("400 for invalid completion body %j", async (body, param, message) => {
    const { url } = await start();
    const err = await expectError(await post(`${url}/v1/completions`, body), 400, "invalid_argument", param);
    expect(err.message).toMatch(message);
  });

  it("404 model_not_found listing the valid models (from the real cascade)", async () => {
    const noPorts = new Proxy({}, { get: () => () => Promise.reject(new Error("no port should be called")) });
    const cascade = createCascade(noPorts as never, {
      tiers: [
        { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
        { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
      ],
    });
    const { url } = await start({ cascade });
    for (const stream of [false, true]) {
      const err = await expectError(
        await post(`${url}/v1/chat/completions`, { ...CHAT, model: "gpt-4o", stream }),
        404,
        "model_not_found",
        "model",
      );
      expect(err.message).toContain('"gpt-4o"');
      expect(err.message).toContain('"weir-auto", "small", "large"');
    }
  });

  it("413 when Content-Length is over maxBodyBytes, without running anything", async () => {
    const { url, cascade } = await start({ maxBodyBytes: 100 });
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, messages: [{ role: "user", content: "x".repeat(200) }] });
    await expectError(res, 413, "payload_too_large");
    expect(cascade.runs).toHaveLength(0);
  });

  it("413 when a chunked body grows past maxBodyBytes", async () => {
    const { url } = await start({ maxBodyBytes: 100 });
    const chunk = new TextEncoder().encode(`{"model":"weir-auto","messages":[{"role":"user","content":"${"x".repeat(150)}"}]}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${url}/v1/chat/completions`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(res.headers.get("content-length")).not.toBeNull();
    await expectError(res, 413, "payload_too_large");
  });

  it("tolerates a wrong Content-Type when the body parses", async () => {
    const { url } = await start();
    const res = await post(`${url}/v1/chat/completions`, CHAT, { headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(200);
  });

  it("503 while not ready", async () => {
    const { url, cascade } = await start({ ready: () => false });
    await expectError(await post(`${url}/v1/chat/completions`, CHAT), 503, "unavailable");
    expect(cascade.runs).toHaveLength(0);
  });

  it.each([
    [WeirError.unavailable("no worker of tier small is running"), 503, "unavailable"],
    [WeirError.deadlineExceeded("the judge did not answer in time"), 504, "deadline_exceeded"],
    [WeirError.invalidArgument("max_tokens must be at least 1 (or left out)", "max_tokens"), 400, "invalid_argument"],
  ])("maps cascade error %s to its status", async (error, status, code) => {
    const { url } = await start({ script: { errorBefore: error } });
    const err = await expectError(await post(`${url}/v1/chat/completions`, CHAT), status, code, error.field ?? null);
    expect(err.message).toBe(error.message);
  });

  it("429 with Retry-After when the cascade is rate limited", async () => {
    const { url } = await start({ script: { errorBefore: WeirError.resourceExhausted("every worker is busy", 1500) } });
    const res = await post(`${url}/v1/chat/completions`, CHAT);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.headers.get("retry-after-ms")).toBe("1500");
    const err = await expectError(res, 429, "resource_exhausted");
    expect(err.type).toBe("rate_limit_exceeded");
  });

  it("wraps non-Weir failures as 500", async () => {
    const { url } = await start({ script: { errorBefore: new TypeError("boom") as unknown as WeirError } });
    const err = await expectError(await post(`${url}/v1/chat/completions`, CHAT), 500, "internal");
    expect(err.message).toContain("boom");
  });

  it("ends a started stream with an SSE error event (and no [DONE])", async () => {
    const { url } = await start({ script: { errorAfter: WeirError.unavailable("worker l1 crashed") } });
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, stream: true });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text()) as Record<string, any>[];
    expect(events.at(-1)).toEqual({
      error: { message: "worker l1 crashed", type: "service_unavailable", param: null, code: "unavailable" },
    });
    expect(events).not.toContain("[DONE]");
  });

  it("404 JSON for unknown routes and 405 for wrong methods", async () => {
    const { url } = await start();
    await expectError(await fetch(`${url}/v1/embeddings`, { method: "POST", body: "{}" }), 404, "not_found");
    const res = await fetch(`${url}/v1/chat/completions`);
    expect(res.headers.get("allow")).toBe("POST");
    await expectError(res, 405, "method_not_allowed");
    await expectError(await post(`${url}/v1/models`, {}), 405, "method_not_allowed");
  });
});

describe("deadlines and disconnects", () => {
  it("504 and an aborted cascade when the request timeout passes", async () => {
    const { url, cascade } = await start({ requestTimeoutMs: 50, script: { deltas: [], stall: true } });
    const err = await expectError(await post(`${url}/v1/chat/completions`, CHAT), 504, "deadline_exceeded");
    expect(err.message).toContain("50 ms");
    expect(cascade.runs[0]?.signal.aborted).toBe(true);
    await waitFor(() => cascade.runs[0]?.finished === true);
  });

  it("504 even when the cascade ignores its signal", async () => {
    const { url } = await start({ requestTimeoutMs: 50, script: { deltas: [], stall: true, ignoreSignal: true } });
    await expectError(await post(`${url}/v1/chat/completions`, CHAT), 504, "deadline_exceeded");
  });

  it("ends a stream that passes the deadline with an error event", async () => {
    const { url } = await start({ requestTimeoutMs: 80, script: { deltas: ["a"], stall: true } });
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, stream: true });
    const events = sseEvents(await res.text()) as Record<string, any>[];
    expect(events.at(-1)?.error?.code).toBe("deadline_exceeded");
  });

  it("aborts the cascade when a streaming client disconnects", async () => {
    const { url, cascade } = await start({ script: { deltas: ["first"], stall: true } });
    const client = new AbortController();
    const res = await post(`${url}/v1/chat/completions`, { ...CHAT, stream: true }, { signal: client.signal });
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    await waitFor(() => cascade.runs[0]?.signal.aborted === true);
    await waitFor(() => cascade.runs[0]?.finished === true);
  });

  it("aborts the cascade when a non-streaming client disconnects", async () => {
    const { url, cascade } = await start({ script: { deltas: [], stall: true } });
    const client = new AbortController();
    const pending = post(`${url}/v1/chat/completions`, CHAT, { signal: client.signal }).catch(() => undefined);
    await waitFor(() => cascade.runs.length === 1);
    client.abort();
    await pending;
    await waitFor(() => cascade.runs[0]?.signal.aborted === true);
    expect((cascade.runs[0]?.signal.reason as WeirError).code).toBe(ErrorCode.CANCELLED);
  });
});

describe("GET /v1/models", () => {
  it("lists weir-auto and every tier", async () => {
    const { url } = await start();
    const res = await fetch(`${url}/v1/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: Record<string, unknown>[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toEqual(["weir-auto", "small", "large"]);
    expect(body.data[1]).toMatchObject({
      object: "model",
      owned_by: "weir",
      weir: { kind: "tier", served_model: "org/small-8b", input_price_per_mtok: 0.1, output_price_per_mtok: 0.2 },
    });
  });

  it("returns one model, or 404 model_not_found", async () => {
    const { url } = await start();
    expect(await (await fetch(`${url}/v1/models/large`)).json()).toMatchObject({ id: "large", object: "model" });
    const err = await expectError(await fetch(`${url}/v1/models/nope`), 404, "model_not_found", "model");
    expect(err.message).toContain('"weir-auto", "small", "large"');
  });
});

describe("tracing", () => {
  it("opens a SERVER span continuing the incoming traceparent, and runs the cascade inside it", async () => {
    const { url, cascade } = await start();
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const res = await post(`${url}/v1/chat/completions`, CHAT, {
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    await res.json();
    await waitFor(() => tracing.finishedSpans().length > 0);

    const span = tracing.finishedSpans().find((s) => s.name === "POST /v1/chat/completions");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.traceId).toBe(traceId);
    expect(span?.parentSpanId).toBe("b7ad6b7169203331");
    expect(cascade.runs[0]?.activeSpanId).toBe(span?.spanId);
    expect(span?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "weir-auto",
      "gen_ai.response.model": "weir-auto",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 3,
      "weir.request_id": "req-42",
      "weir.tier": "large",
    });
  });

  it("records server errors on the span", async () => {
    const { url } = await start({ script: { errorBefore: WeirError.unavailable("no worker") } });
    await (await post(`${url}/v1/completions`, { model: "weir-auto", prompt: "x" })).json();
    await waitFor(() => tracing.finishedSpans().length > 0);
    const span = tracing.finishedSpans()[0];
    expect(span?.attributes["http.response.status_code"]).toBe(503);
    expect(span?.attributes["gen_ai.operation.name"]).toBe("text_completion");
    expect(span?.attributes["error.type"]).toBe("UNAVAILABLE");
    expect(span?.status.code).toBe(2);
    expect(span?.events.filter((e) => e.name === "exception")).toHaveLength(1);
  });
});
