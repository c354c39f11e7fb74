import { type MessageInitShape, create } from "@bufbuild/protobuf";
import type { EngineChunk, KvEventInit } from "@weir/engine";
import { type GenerateTokensRequest, GenerateTokensRequestSchema } from "@weir/proto";
import { flattenMessages, tokenize } from "@weir/tokens";
import { describe, expect, it } from "vitest";
import { createSimEngine, type SimEngineOptions } from "./create-sim-engine.js";
import type { SimEngine } from "./sim-engine.js";

type RequestInit = MessageInitShape<typeof GenerateTokensRequestSchema>;

function request(init: RequestInit): GenerateTokensRequest {
  return create(GenerateTokensRequestSchema, { tier: "small", ...init });
}

/** Fast enough for tests: 10,000 simulated ms per wall ms. */
function engine(options: Partial<SimEngineOptions> = {}): SimEngine {
  return createSimEngine({ preset: "llama-3.1-8b/h100", speedup: 10_000, ...options });
}

async function collect(e: SimEngine, init: RequestInit, signal = new AbortController().signal): Promise<EngineChunk[]> {
  const chunks: EngineChunk[] = [];
  for await (const c of e.generate(request(init), signal)) chunks.push(c);
  return chunks;
}

const textOf = (chunks: EngineChunk[]): string => chunks.map((c) => c.text).join("");
const last = (chunks: EngineChunk[]): EngineChunk => chunks[chunks.length - 1] as EngineChunk;

describe("SimEngine (real time, sped up)", () => {
  it("streams a request end to end, one token per chunk, with real token counts", async () => {
    const e = engine();
    const prompt = "Explain what a weir is, in two sentences.";
    const chunks = await collect(e, { prompt, targetOutputTokens: 40 });
    expect(chunks).toHaveLength(40);
    expect(chunks.every((c) => c.tokenCount === 1)).toBe(true);
    const done = last(chunks);
    expect(done.finishReason).toBe("stop");
    expect(done.usage).toEqual({
      promptTokens: tokenize(prompt).length,
      completionTokens: 40,
      totalTokens: tokenize(prompt).length + 40,
      cachedPromptTokens: 0,
    });
    expect(tokenize(textOf(chunks)).length).toBeGreaterThanOrEqual(39);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0, maxConcurrency: 256, kvUsage: 0 });
  });

  it("takes its timing from the model: 100 tokens of 8B decode take ≈ 0.7 simulated seconds", async () => {
    const e = engine({ speedup: 100, jitter: 0 });
    const started = performance.now();
    await collect(e, { prompt: "p", targetOutputTokens: 100 });
    const wallMs = performance.now() - started;
    // ≈ 7 ms per token × 100 / speedup 100 ≈ 7 wall ms (plus timer slack).
    expect(wallMs).toBeGreaterThan(6);
    expect(wallMs).toBeLessThan(500);
  });

  it("uses the output source's text and tokenizes it; max_tokens truncates with finish_reason length", async () => {
    const answer = "A weir is a low dam across a river. It raises the water level upstream.";
    const e = engine({ outputSource: (prompt) => (prompt.includes("weir") ? answer : undefined) });
    const full = await collect(e, { prompt: "What is a weir?" });
    expect(textOf(full)).toBe(answer);
    expect(last(full)).toMatchObject({ finishReason: "stop", usage: { completionTokens: tokenize(answer).length } });

    const capped = await collect(e, { prompt: "What is a weir?", maxTokens: 5 });
    expect(last(capped)).toMatchObject({ finishReason: "length", usage: { completionTokens: 5 } });
    expect(answer.startsWith(textOf(capped))).toBe(true);

    const filler = await collect(e, { prompt: "Something else", targetOutputTokens: 12 });
    expect(last(filler).usage?.completionTokens).toBe(12);
  });

  it("draws natural filler lengths from the configured distribution, deterministic per prompt", async () => {
    const e = engine({ outputTokens: { mean: 20, max: 30 } });
    const lengths: number[] = [];
    for (const prompt of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
      const chunks = await collect(e, { prompt });
      lengths.push(last(chunks).usage?.completionTokens ?? 0);
      expect(textOf(await collect(e, { prompt }))).toBe(textOf(chunks));
    }
    expect(Math.max(...lengths)).toBeLessThanOrEqual(30);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    expect(new Set(lengths).size).toBeGreaterThan(1);
  });

  it("never waits to fill a message: a consumer that keeps up gets each token as it is generated, even with max_tokens_per_message 16", async () => {
    const run = async (perMessage: number): Promise<{ chunks: EngineChunk[]; generatedAt: number[] }> => {
      const e = engine();
      const chunks: EngineChunk[] = [];
      // The engine's count of generated tokens when each chunk arrives: equal
      // to the tokens received, so no token waited for another.
      const generatedAt: number[] = [];
      for await (const c of e.generate(request({ prompt: "p", targetOutputTokens: 40, maxTokensPerMessage: perMessage }), new AbortController().signal)) {
        chunks.push(c);
        generatedAt.push(e.metrics()["vllm:generation_tokens"]);
      }
      return { chunks, generatedAt };
    };
    const perToken = await run(1);
    const coalescing = await run(16);
    for (const { chunks, generatedAt } of [perToken, coalescing]) {
      expect(chunks.map((c) => c.tokenCount)).toEqual(Array.from({ length: 40 }, () => 1));
      expect(generatedAt).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
    expect(coalescing.chunks).toEqual(perToken.chunks);
    expect(last(coalescing.chunks)).toMatchObject({ finishReason: "stop", usage: { completionTokens: 40 } });
  });

  it("fills each message to max_tokens_per_message when asked to (fill_messages), without changing the text", async () => {
    const e = engine();
    const chunks: EngineChunk[] = [];
    const generatedAt: number[] = [];
    for await (const c of e.generate(request({ prompt: "p", targetOutputTokens: 40, maxTokensPerMessage: 16, fillMessages: true }), new AbortController().signal)) {
      chunks.push(c);
      generatedAt.push(e.metrics()["vllm:generation_tokens"]);
    }
    expect(chunks.map((c) => c.tokenCount)).toEqual([16, 16, 8]);
    // Each message left once its tokens were generated, and not before.
    expect(generatedAt).toEqual([16, 32, 40]);
    const perToken = await collect(engine(), { prompt: "p", targetOutputTokens: 40, maxTokensPerMessage: 1 });
    expect(textOf(chunks)).toBe(textOf(perToken));
    expect(last(chunks)).toMatchObject({ finishReason: "stop", usage: { completionTokens: 40 } });
  });

  it("hands a consumer that fell behind every token generated meanwhile, up to max_tokens_per_message; only the last carries finish and usage", async () => {
    const e = engine({ speedup: 1000 }); // ≈ 7 µs of wall time per token
    const chunks: EngineChunk[] = [];
    for await (const c of e.generate(request({ prompt: "p", targetOutputTokens: 200, maxTokensPerMessage: 16 }), new AbortController().signal)) {
      chunks.push(c);
      await new Promise((r) => setTimeout(r, 2)); // a slow reader: ≥ 2 ms per message
    }
    const counts = chunks.map((c) => c.tokenCount);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
    expect(Math.max(...counts)).toBe(16);
    expect(chunks.length).toBeLessThan(40);
    expect(chunks.slice(0, -1).every((c) => c.finishReason === undefined && c.usage === undefined)).toBe(true);
    expect(last(chunks)).toMatchObject({ finishReason: "stop", usage: { completionTokens: 200 } });
    // The same text as one token per message.
    const perToken = await collect(engine(), { prompt: "p", targetOutputTokens: 200, maxTokensPerMessage: 1 });
    expect(perToken).toHaveLength(200);
    expect(textOf(chunks)).toBe(textOf(perToken));
  });

  it("takes the prompt from flattened messages and reuses the conversation's cached prefix", async () => {
    const e = engine();
    const history = [
      { role: "system", content: "You are a hydrologist. ".repeat(40) },
      { role: "user", content: "What is a weir?" },
    ];
    const first = await collect(e, { messages: history, targetOutputTokens: 5 });
    expect(last(first).usage?.promptTokens).toBe(tokenize(flattenMessages(history)).length);
    const followUp = [...history, { role: "assistant", content: textOf(first) }, { role: "user", content: "And a dam?" }];
    const second = await collect(e, { messages: followUp, targetOutputTokens: 5 });
    expect(last(second).usage?.cachedPromptTokens).toBeGreaterThanOrEqual(160);
    expect(e.metrics()["vllm:prefix_cache_hits"]).toBe(last(second).usage?.cachedPromptTokens);
  });

  it("prefill_only computes and caches the prompt, hands over one chunk with no text, and a later request reuses it", async () => {
    const e = engine({ jitter: 0 });
    const prompt = "You are a hydrologist. ".repeat(40);
    const promptTokens = tokenize(prompt).length;
    const warm = await collect(e, { prompt, prefillOnly: true, targetOutputTokens: 50 });
    expect(warm).toEqual([
      {
        text: "",
        tokenCount: 0,
        finishReason: "prefill",
        usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens, cachedPromptTokens: 0 },
      },
    ]);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0 });
    // The core sampled (and the engine discarded) one token, as vLLM does with max_tokens 1.
    expect(e.metrics()["vllm:prompt_tokens"]).toBe(promptTokens);
    const real = await collect(e, { prompt, targetOutputTokens: 4 });
    const fullBlocks = Math.floor(promptTokens / 16) * 16;
    expect(last(real).usage?.cachedPromptTokens).toBeGreaterThanOrEqual(fullBlocks - 16);
    expect(last(real).usage?.cachedPromptTokens).toBeGreaterThan(0);
    const again = await collect(e, { prompt, prefillOnly: true });
    expect(again[0]?.usage?.cachedPromptTokens).toBe(last(real).usage?.cachedPromptTokens);
  });

  it("prefill_only stops when aborted and frees its blocks", async () => {
    const e = engine({ speedup: 1 });
    const ac = new AbortController();
    const pending = collect(e, { prompt: "word ".repeat(4000), prefillOnly: true }, ac.signal);
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(e.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("stops promptly when aborted mid-generation and frees the request's blocks", async () => {
    const e = engine({ speedup: 1 }); // real speed: 1000 tokens would take ≈ 7 s
    const ac = new AbortController();
    const stream = e.generate(request({ prompt: "p", targetOutputTokens: 1000 }), ac.signal);
    const first = await stream.next();
    expect(first.value?.tokenCount).toBe(1);
    expect(e.load()).toMatchObject({ running: 1 });
    expect(e.load().kvUsage).toBeGreaterThan(0);
    const started = performance.now();
    const pending = stream.next();
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - started).toBeLessThan(100);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("releases the request when the consumer stops early", async () => {
    const e = engine({ speedup: 1 });
    for await (const _ of e.generate(request({ prompt: "p", targetOutputTokens: 100 }), new AbortController().signal)) {
      break;
    }
    expect(e.load()).toMatchObject({ running: 0, kvUsage: 0 });
  });

  it("rejects an already-aborted signal before doing anything", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(collect(engine(), { prompt: "p" }, ac.signal)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("queues beyond maxNumSeqs and reports load and vLLM metrics", async () => {
    const e = engine({ maxNumSeqs: 2, speedup: 1000 });
    const runs = ["a", "b", "c", "d"].map((p) => collect(e, { prompt: p, targetOutputTokens: 20 }));
    await new Promise((r) => setImmediate(r));
    expect(e.load()).toMatchObject({ running: 2, waiting: 2, maxConcurrency: 2 });
    await Promise.all(runs);
    const m = e.metrics();
    expect(m["vllm:request_success"]).toBe(4);
    expect(m["vllm:generation_tokens"]).toBe(80);
    expect(m["vllm:time_to_first_token_seconds"].count).toBe(4);
    expect(m["vllm:inter_token_latency_seconds"].count).toBe(76);
    expect(m["vllm:num_requests_running"]).toBe(0);
  });

  it("publishes KV events with the tier and instance id, wall-clock timestamps", async () => {
    const e = engine({ tier: "small", instanceId: "w7" });
    const events: KvEventInit[] = [];
    e.onKvEvent((ev) => events.push(ev));
    await collect(e, { prompt: "word ".repeat(100), targetOutputTokens: 3 });
    expect(events[0]).toMatchObject({ tier: "small", instanceId: "w7", sequence: 1n, event: { case: "stored" } });
    expect(Number(events[0]?.timestampMs)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses a prompt longer than the model's context", async () => {
    const e = engine({ kvCapacityTokens: 256 });
    await expect(collect(e, { prompt: "word ".repeat(400) })).rejects.toThrow(/exceed this instance's limit of 256/);
  });
});
