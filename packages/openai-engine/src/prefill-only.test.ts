import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PlaceholderEngine, type EngineChunk } from "@weir/engine";
import { type GenerateTokensRequest, GenerateTokensRequestSchema } from "@weir/proto";
import { startSimServer, type RunningSimServer } from "@weir/sim-server";
import { countTokens, flattenMessages } from "@weir/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiEngine, type RequestTimings } from "./index.js";
import { startScriptedUpstream, type ScriptedUpstream } from "./test-support/scripted-upstream.js";
import { upstreamRequest } from "./upstream-request.js";

// Escalation warm-up through an OpenAI-compatible server: a REAL sim-server
// (the placeholder engine, with its prefix cache) behind a recording proxy.
const MODEL = "test/upstream-model";
let sim: RunningSimServer;
let proxy: ScriptedUpstream;
const engines: OpenAiEngine[] = [];

beforeAll(async () => {
  sim = await startSimServer({ engine: new PlaceholderEngine({ tier: "sim", tokenDelayMs: 2, maxConcurrency: 8 }), model: MODEL, port: 0 });
  proxy = await startScriptedUpstream(["proxy"], sim.url);
});
afterAll(async () => {
  for (const e of engines) e.close();
  await proxy.close();
  await sim.close();
});

function engine(): OpenAiEngine {
  const e = new OpenAiEngine({ baseUrl: proxy.url, model: MODEL, maxConcurrency: 4 });
  engines.push(e);
  return e;
}

const request = (init: MessageInitShape<typeof GenerateTokensRequestSchema>): GenerateTokensRequest =>
  create(GenerateTokensRequestSchema, { tier: "large", requestId: "warm-1", ...init });

async function collect(e: OpenAiEngine, req: GenerateTokensRequest): Promise<EngineChunk[]> {
  const chunks: EngineChunk[] = [];
  for await (const c of e.generate(req, new AbortController().signal)) chunks.push(c);
  return chunks;
}

/** 48 one-token words: three full KV blocks of 16. */
const messages = [{ role: "user", content: Array.from({ length: 48 }, () => "river").join(" ") }];

describe("OpenAiEngine prefill_only (escalation warm-up)", () => {
  it("asks for one token, without stop sequences, whatever the request's own caps", () => {
    const up = upstreamRequest(request({ messages, prefillOnly: true, maxTokens: 500, targetOutputTokens: 80, stop: ["\n\n"] }), MODEL);
    expect(up.body).toMatchObject({ max_tokens: 1, stream: true });
    expect(up.body).not.toHaveProperty("stop");
    // Without prefill_only the caps are the request's.
    expect(upstreamRequest(request({ messages, maxTokens: 500, targetOutputTokens: 80 }), MODEL).body).toMatchObject({ max_tokens: 80 });
  });

  it("hands over one chunk with no text: finish prefill, no completion tokens; the prompt is cached upstream", async () => {
    const e = engine();
    const timings: RequestTimings[] = [];
    e.onRequestDone((t) => timings.push(t));
    const promptTokens = countTokens(flattenMessages(messages));
    const warm = await collect(e, request({ messages, prefillOnly: true }));
    expect(warm).toHaveLength(1);
    expect(warm[0]).toMatchObject({ text: "", tokenCount: 0, finishReason: "prefill", usage: { completionTokens: 0 } });
    expect(warm[0]?.usage?.promptTokens).toBeGreaterThanOrEqual(promptTokens);
    expect(proxy.requests.at(-1)?.body).toMatchObject({ max_tokens: 1 });
    expect(timings.map((t) => t.outcome)).toEqual(["prefill"]);

    // The real request that follows finds the warmed prefix in the server's cache.
    const real = await collect(e, request({ messages, maxTokens: 4 }));
    expect(real.at(-1)?.finishReason).toBeDefined();
    expect(real.at(-1)?.usage?.cachedPromptTokens).toBeGreaterThanOrEqual(32);
    // And a second warm-up says how much was cached already.
    const again = await collect(e, request({ messages, prefillOnly: true }));
    expect(again[0]?.usage?.cachedPromptTokens).toBeGreaterThanOrEqual(32);
  });
});
