import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PlaceholderEngine, type EngineChunk } from "@weir/engine";
import { ErrorCode, WeirError } from "@weir/errors";
import { type GenerateTokensRequest, GenerateTokensRequestSchema } from "@weir/proto";
import { startSimServer, type RunningSimServer } from "@weir/sim-server";
import { freePort } from "@weir/testkit";
import { countTokens, flattenMessages } from "@weir/tokens";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiEngine, type OpenAiEngineOptions, type RequestTimings } from "./index.js";
import { startLiveUpstream, type LiveUpstream } from "./test-support/live-upstream.js";
import { startScriptedUpstream, type ScriptedUpstream, type Step } from "./test-support/scripted-upstream.js";

// The adapter against a REAL sim-server (the placeholder engine behind
// Weir's own OpenAI-compatible server, 2 ms per token), and against a
// scripted server in front of it that fails on cue.
const MODEL = "test/upstream-model";
let sim: RunningSimServer;
let simEngine: PlaceholderEngine;
const scripted: (ScriptedUpstream | LiveUpstream)[] = [];
const engines: OpenAiEngine[] = [];

beforeAll(async () => {
  simEngine = new PlaceholderEngine({ tier: "sim", tokenDelayMs: 2, maxConcurrency: 8 });
  sim = await startSimServer({ engine: simEngine, model: MODEL, port: 0 });
});
afterAll(async () => {
  for (const e of engines) e.close();
  await Promise.all(scripted.map((s) => s.close()));
  await sim.close();
});

function engine(options: Partial<OpenAiEngineOptions> = {}): OpenAiEngine {
  const e = new OpenAiEngine({ baseUrl: sim.url, model: MODEL, maxConcurrency: 4, retryBackoffMs: 10, ...options });
  engines.push(e);
  return e;
}

async function upstream(steps: Step[], port?: number): Promise<ScriptedUpstream> {
  const s = await startScriptedUpstream(steps, sim.url, port);
  scripted.push(s);
  return s;
}

const request = (init: MessageInitShape<typeof GenerateTokensRequestSchema>): GenerateTokensRequest =>
  create(GenerateTokensRequestSchema, { tier: "small", requestId: "req-1", ...init });

const chat = (content: string, init: MessageInitShape<typeof GenerateTokensRequestSchema> = {}) =>
  request({ messages: [{ role: "user", content }], maxTokens: 12, ...init });

async function collect(e: OpenAiEngine, req: GenerateTokensRequest, signal = new AbortController().signal): Promise<EngineChunk[]> {
  const chunks: EngineChunk[] = [];
  for await (const c of e.generate(req, signal)) chunks.push(c);
  return chunks;
}

async function failure(e: OpenAiEngine, req: GenerateTokensRequest, seen: EngineChunk[] = []): Promise<WeirError> {
  try {
    for await (const c of e.generate(req, new AbortController().signal)) seen.push(c);
  } catch (err) {
    expect(err).toBeInstanceOf(WeirError);
    return err as WeirError;
  }
  throw new Error("expected the generation to fail");
}

const textOf = (chunks: EngineChunk[]) => chunks.map((c) => c.text).join("");
const lastOf = (chunks: EngineChunk[]) => chunks[chunks.length - 1] as EngineChunk;
const timingsOf = (e: OpenAiEngine): RequestTimings[] => {
  const all: RequestTimings[] = [];
  e.onRequestDone((t) => all.push(t));
  return all;
};

describe("OpenAiEngine against a sim-server", () => {
  const client = () => new OpenAI({ baseURL: sim.url, apiKey: "unused", maxRetries: 0 });

  it("streams a chat answer token by token, with the server's text and usage", async () => {
    const e = engine();
    const timings = timingsOf(e);
    const chunks = await collect(e, chat("What is a weir?"));
    const direct = await client().chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "What is a weir?" }], max_tokens: 12 });
    expect(textOf(chunks)).toBe(direct.choices[0]?.message.content);
    const body = chunks.slice(0, -1);
    expect(body.length).toBeGreaterThan(1);
    expect(body.every((c) => c.tokenCount === 1 && c.finishReason === undefined && c.usage === undefined)).toBe(true);
    expect(lastOf(chunks)).toMatchObject({
      finishReason: direct.choices[0]?.finish_reason,
      usage: {
        promptTokens: direct.usage?.prompt_tokens,
        completionTokens: direct.usage?.completion_tokens,
        totalTokens: direct.usage?.total_tokens,
      },
    });
    expect(chunks.reduce((n, c) => n + c.tokenCount, 0)).toBe(direct.usage?.completion_tokens);
    expect(timings).toHaveLength(1);
    expect(timings[0]).toMatchObject({ api: "chat", attempts: 1, outcome: lastOf(chunks).finishReason });
    expect(timings[0]?.ttftSeconds).toBeGreaterThan(0);
    expect(timings[0]?.interTokenSeconds).toHaveLength((direct.usage?.completion_tokens ?? 0) - 1);
  });

  it("serves a prompt through legacy completions, coalescing up to max_tokens_per_message", async () => {
    const e = engine();
    const chunks = await collect(e, request({ prompt: "Say hello", maxTokens: 10, targetOutputTokens: 10, maxTokensPerMessage: 4 }));
    const direct = await client().completions.create({ model: MODEL, prompt: "Say hello", max_tokens: 10 });
    expect(textOf(chunks)).toBe(direct.choices[0]?.text);
    expect(chunks.slice(0, -1).every((c) => c.tokenCount >= 1 && c.tokenCount <= 4)).toBe(true);
    expect(lastOf(chunks).usage?.completionTokens).toBe(10);
  });

  it("sends what the request asks for: model, stream with usage, limits, stop, temperature, request id", async () => {
    const s = await upstream(["proxy"]);
    await collect(engine({ baseUrl: s.url }), chat("hi", { maxTokens: 50, targetOutputTokens: 7, stop: ["\n\n"], temperature: 0.2, requestId: "abc" }));
    expect(s.requests[0]?.path).toBe("/v1/chat/completions");
    expect(s.requests[0]?.body).toEqual({
      model: MODEL,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 7,
      stop: ["\n\n"],
      temperature: 0.2,
    });
    expect(s.requests[0]?.headers["x-request-id"]).toBe("abc");
    await collect(engine({ baseUrl: s.url, apiKey: "sk-test" }), request({ prompt: "p" }));
    expect(s.requests[1]?.path).toBe("/v1/completions");
    expect(s.requests[1]?.headers.authorization).toBe("Bearer sk-test");
    expect("max_tokens" in (s.requests[1]?.body ?? {})).toBe(false);
  });

  it("counts the tokens itself when the server sends no usage", async () => {
    const delta = (content: string, finish: string | null = null) =>
      JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    const s = await upstream([{ events: [delta("Hello"), delta(" there"), delta("", "stop"), "[DONE]"], then: "end" }]);
    const chunks = await collect(engine({ baseUrl: s.url }), chat("Count me"));
    expect(textOf(chunks)).toBe("Hello there");
    expect(lastOf(chunks)).toMatchObject({
      finishReason: "stop",
      usage: {
        promptTokens: countTokens(flattenMessages([{ role: "user", content: "Count me" }])),
        completionTokens: countTokens("Hello there"),
        cachedPromptTokens: 0,
      },
    });
  });

  it("reports running and waiting against its concurrency limit", async () => {
    const e = engine({ maxConcurrency: 1 });
    const a = collect(e, chat("one", { maxTokens: 20 }));
    const b = collect(e, chat("two", { maxTokens: 20 }));
    await new Promise((r) => setTimeout(r, 5));
    expect(e.load()).toEqual({ running: 1, waiting: 1, maxConcurrency: 1, kvUsage: 0 });
    await Promise.all([a, b]);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0 });
  });
});

describe("coalescing: never waits to fill a piece, hands on what has arrived", () => {
  const WORDS = Array.from({ length: 31 }, (_, i) => (i === 0 ? "Water" : ` w${i}`));
  const delta = (content: string, finish: string | null = null): string =>
    JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
  const ending = [delta("", "stop"), JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: WORDS.length } }), "[DONE]"];
  /** Time for bytes on the socket to reach the adapter's read buffer. */
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

  async function live(perMessage: number): Promise<{ u: LiveUpstream; stream: AsyncGenerator<EngineChunk> }> {
    const u = await startLiveUpstream();
    scripted.push(u);
    const stream = engine({ baseUrl: u.url }).generate(chat("x", { maxTokensPerMessage: perMessage }), new AbortController().signal);
    return { u, stream };
  }

  /** A consumer that keeps up: each token is sent only once it has asked for the next piece. */
  async function keepingUp(perMessage: number): Promise<EngineChunk[]> {
    const { u, stream } = await live(perMessage);
    const chunks: EngineChunk[] = [];
    for (const word of WORDS) {
      const next = stream.next();
      if (chunks.length === 0) await u.connected();
      await u.send(delta(word));
      const r = await next;
      if (r.done !== true) chunks.push(r.value);
    }
    const next = stream.next();
    await u.send(...ending);
    u.end();
    for (let r = await next; r.done !== true; r = await stream.next()) chunks.push(r.value);
    return chunks;
  }

  /** A consumer that falls behind: 20, then 10 tokens arrive while it holds a piece. */
  async function fallingBehind(perMessage: number): Promise<EngineChunk[]> {
    const { u, stream } = await live(perMessage);
    const chunks: EngineChunk[] = [];
    const pull = async (): Promise<boolean> => {
      const r = await stream.next();
      if (r.done !== true) chunks.push(r.value);
      return r.done !== true;
    };
    const first = pull();
    await u.connected();
    await u.send(delta(WORDS[0] as string));
    await first;
    await u.send(...WORDS.slice(1, 21).map((w) => delta(w)));
    await settle();
    await pull();
    await u.send(...WORDS.slice(21).map((w) => delta(w)));
    await settle();
    await pull();
    await u.send(...ending);
    u.end();
    while (await pull());
    return chunks;
  }

  it("a consumer that keeps up gets one token per piece, even with max_tokens_per_message 16", async () => {
    const perToken = await keepingUp(1);
    const coalescing = await keepingUp(16);
    for (const chunks of [perToken, coalescing]) {
      expect(chunks.slice(0, -1)).toEqual(WORDS.map((text) => ({ text, tokenCount: 1 })));
      expect(lastOf(chunks)).toMatchObject({ text: "", tokenCount: 0, finishReason: "stop", usage: { completionTokens: WORDS.length } });
    }
    expect(coalescing).toEqual(perToken);
  });

  it("a consumer that falls behind gets what arrived meanwhile in one piece, up to max_tokens_per_message", async () => {
    const coalesced = await fallingBehind(16);
    // 1; then 16 of the 20 that arrived; then the 4 left over with the 10 that arrived since.
    expect(coalesced.map((c) => c.tokenCount)).toEqual([1, 16, 14, 0]);
    expect(coalesced.map((c) => c.text).slice(0, 3)).toEqual([WORDS[0], WORDS.slice(1, 17).join(""), WORDS.slice(17).join("")]);
    expect(lastOf(coalesced)).toMatchObject({ finishReason: "stop", usage: { completionTokens: WORDS.length } });
    const perToken = await fallingBehind(1);
    expect(perToken.map((c) => c.tokenCount)).toEqual([...WORDS.map(() => 1), 0]);
    expect(textOf(coalesced)).toBe(WORDS.join(""));
    expect(textOf(perToken)).toBe(WORDS.join(""));
  });
});

describe("retries before the first token, never after", () => {
  it("retries a connection the server drops, and an overloaded 503", async () => {
    const s = await upstream(["reset", { status: 503, body: '{"error":{"message":"overloaded"}}' }, "proxy"]);
    const e = engine({ baseUrl: s.url });
    const timings = timingsOf(e);
    const chunks = await collect(e, chat("retry me"));
    expect(lastOf(chunks).finishReason).toBeDefined();
    expect(s.requests).toHaveLength(3);
    expect(timings[0]?.attempts).toBe(3);
  });

  it("waits for a server that comes up on a closed port", async () => {
    const port = await freePort();
    const e = engine({ baseUrl: `http://127.0.0.1:${port}/v1`, retries: 6, retryBackoffMs: 40 });
    const pending = collect(e, chat("are you there?"));
    setTimeout(() => void upstream(["proxy"], port), 60);
    const chunks = await pending;
    expect(textOf(chunks).length).toBeGreaterThan(0);
  });

  it("does not retry once a token has been handed on", async () => {
    const s = await upstream([{ proxyThenCut: 4 }, "proxy"]);
    const seen: EngineChunk[] = [];
    const err = await failure(engine({ baseUrl: s.url }), chat("cut me", { maxTokens: 40, targetOutputTokens: 40 }), seen);
    expect(seen.length).toBeGreaterThan(0);
    expect(s.requests).toHaveLength(1);
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toMatch(/closed the connection after \d+ tokens?, before the answer was finished/);
  });

  it("gives up after `retries` retries with the last failure", async () => {
    const s = await upstream([{ status: 502, body: "Bad Gateway", contentType: "text/plain" }]);
    const err = await failure(engine({ baseUrl: s.url, retries: 2 }), chat("x"));
    expect(s.requests).toHaveLength(3);
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toBe(`the OpenAI-compatible server at ${s.url} answered HTTP 502 to POST /chat/completions: Bad Gateway (after 3 attempts)`);
  });

  it("does not retry a request the server rejects", async () => {
    const s = await upstream([{ status: 400, body: '{"object":"error","message":"max_tokens is too large","code":400}' }]);
    const err = await failure(engine({ baseUrl: s.url }), chat("x"));
    expect(s.requests).toHaveLength(1);
    expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err.message).toMatch(/answered HTTP 400 to POST \/chat\/completions: max_tokens is too large$/);
  });
});

describe("clear errors", () => {
  it("upstream down → UNAVAILABLE: cannot reach the server", async () => {
    const port = await freePort();
    const err = await failure(engine({ baseUrl: `http://127.0.0.1:${port}/v1`, retries: 1 }), chat("x"));
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toMatch(
      new RegExp(`^cannot reach the OpenAI-compatible server at http://127\\.0\\.0\\.1:${port}/v1: connect ECONNREFUSED .*; check that it is running and that engineOptions\\.baseUrl points at it \\(after 2 attempts\\)$`),
    );
  });

  it("no first token in time → DEADLINE_EXCEEDED", async () => {
    const s = await upstream(["hang"]);
    const started = Date.now();
    const err = await failure(engine({ baseUrl: s.url, firstTokenTimeoutMs: 150 }), chat("x"));
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(err.message).toBe(`the OpenAI-compatible server at ${s.url} sent no token within 150 ms (engineOptions.timeouts.firstTokenMs): it is overloaded or stuck`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("silent mid-answer → DEADLINE_EXCEEDED", async () => {
    const token = JSON.stringify({ choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }] });
    const s = await upstream([{ events: [token, token], then: "hang" }]);
    const seen: EngineChunk[] = [];
    const err = await failure(engine({ baseUrl: s.url, idleTimeoutMs: 100 }), chat("x"), seen);
    expect(textOf(seen)).toBe("aa");
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(err.message).toMatch(/sent nothing for 100 ms in the middle of an answer \(engineOptions\.timeouts\.idleMs\)/);
  });

  it.each<[string, Step, RegExp]>([
    ["a JSON body instead of SSE", { status: 200, body: '{"choices":[]}' }, /answered with content-type "application\/json" instead of an SSE stream \(text\/event-stream\): "\{\\"choices\\":\[\]\}"/],
    ["an event that is not JSON", { events: ["hello world"], then: "end" }, /sent an event that is not JSON: "hello world"/],
    ["an event without choices", { events: ['{"id":"x"}'], then: "end" }, /sent an event without a "choices" list: "\{\\"id\\":\\"x\\"\}"/],
    ["a delta that is not an object", { events: ['{"choices":[{"delta":"hi"}]}'], then: "end" }, /sent a chat choice without a "delta" object/],
  ])("garbage → INTERNAL saying what was wrong: %s", async (_name, step, message) => {
    const s = await upstream([step, "proxy"]);
    const err = await failure(engine({ baseUrl: s.url }), chat("x"));
    expect(err.code).toBe(ErrorCode.INTERNAL);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/check that engineOptions\.baseUrl is its OpenAI API \(usually ending in \/v1\)$/);
    expect(s.requests).toHaveLength(1);
  });

  it("an unknown model → INTERNAL pointing at upstreamModel", async () => {
    const err = await failure(engine({ model: "no/such-model" }), chat("x"));
    expect(err.code).toBe(ErrorCode.INTERNAL);
    expect(err.message).toMatch(/answered HTTP 404 to POST \/chat\/completions: the model "no\/such-model" does not exist here.*; check engineOptions\.baseUrl \(usually ending in \/v1\) and engineOptions\.upstreamModel$/);
  });

  it("an error the server reports mid-stream ends the generation", async () => {
    const token = JSON.stringify({ choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }] });
    const s = await upstream([{ events: [token, '{"error":{"message":"engine died","code":500}}'], then: "end" }]);
    const err = await failure(engine({ baseUrl: s.url }), chat("x"));
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toMatch(/reported an error in the stream: engine died$/);
    expect(s.requests).toHaveLength(1);
  });
});

describe("cancellation", () => {
  it("aborting the signal closes the upstream request, and the server stops generating", async () => {
    const slowEngine = new PlaceholderEngine({ tier: "sim", tokenDelayMs: 20, maxConcurrency: 4 });
    const slow = await startSimServer({ engine: slowEngine, model: MODEL, port: 0 });
    try {
      const e = engine({ baseUrl: slow.url });
      const timings = timingsOf(e);
      const ac = new AbortController();
      const stream = e.generate(chat("a long answer", { maxTokens: 500, targetOutputTokens: 500 }), ac.signal);
      await stream.next();
      expect(slowEngine.load().running).toBe(1);
      ac.abort(new Error("client gone"));
      expect(e.load().running).toBe(0);
      await expect(stream.next()).rejects.toThrow("client gone");
      await expect.poll(() => slowEngine.load().running, { timeout: 2000 }).toBe(0);
      expect(timings[0]?.outcome).toBe("cancelled");
    } finally {
      await slow.close();
    }
  });

  it("a consumer that stops reading early cancels the upstream too", async () => {
    const slowEngine = new PlaceholderEngine({ tier: "sim", tokenDelayMs: 20, maxConcurrency: 4 });
    const slow = await startSimServer({ engine: slowEngine, model: MODEL, port: 0 });
    try {
      const e = engine({ baseUrl: slow.url });
      for await (const _ of e.generate(chat("a long answer", { maxTokens: 500, targetOutputTokens: 500 }), new AbortController().signal)) break;
      expect(e.load().running).toBe(0);
      await expect.poll(() => slowEngine.load().running, { timeout: 2000 }).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
