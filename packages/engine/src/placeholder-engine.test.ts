import { type MessageInitShape, create } from "@bufbuild/protobuf";
import { type GenerateTokensRequest, GenerateTokensRequestSchema } from "@weir/proto";
import { blockHashes, countTokens, flattenMessages, tokenize } from "@weir/tokens";
import { describe, expect, it } from "vitest";
import { type EngineChunk, type KvEventInit, PlaceholderEngine, type PlaceholderEngineOptions } from "./index.js";
import { ManualSleep, flush } from "./test-support/manual-sleep.js";

type RequestInit = MessageInitShape<typeof GenerateTokensRequestSchema>;

function request(init: RequestInit): GenerateTokensRequest {
  return create(GenerateTokensRequestSchema, { tier: "small", ...init });
}

function engine(options: Partial<PlaceholderEngineOptions> = {}): PlaceholderEngine {
  return new PlaceholderEngine({ tier: "small", tokenDelayMs: 0, maxConcurrency: 4, ...options });
}

/** An engine whose sleeps and clock are the test's. */
function timed(clock: ManualSleep, options: Partial<PlaceholderEngineOptions> = {}): PlaceholderEngine {
  return engine({ sleep: clock.sleep, clock: clock.now, ...options });
}

async function collect(
  e: PlaceholderEngine,
  init: RequestInit,
  signal = new AbortController().signal,
): Promise<EngineChunk[]> {
  const chunks: EngineChunk[] = [];
  for await (const c of e.generate(request(init), signal)) chunks.push(c);
  return chunks;
}

const textOf = (chunks: EngineChunk[]): string => chunks.map((c) => c.text).join("");
const last = (chunks: EngineChunk[]): EngineChunk => chunks[chunks.length - 1] as EngineChunk;

/** A prompt of `words` one-token words: 40 words = 2 full blocks of 16. */
const promptOf = (words: number, word = "river"): string => Array.from({ length: words }, () => word).join(" ");

describe("PlaceholderEngine (placeholder: fixed per-token delay, deterministic text)", () => {
  it("is deterministic: the same prompt gives the same text, chunks and usage", async () => {
    const a = await collect(engine(), { prompt: "What is a weir?" });
    const b = await collect(engine(), { prompt: "What is a weir?" });
    expect(b).toEqual(a);
    const other = await collect(engine(), { prompt: "What is a dam?" });
    expect(textOf(other)).not.toBe(textOf(a));
  });

  it("writes one-token words with a leading space, within the default 24..96 tokens, finishing with stop", async () => {
    const chunks = await collect(engine(), { prompt: "Tell me about rivers." });
    const done = last(chunks);
    const n = done.usage?.completionTokens ?? 0;
    expect(n).toBeGreaterThanOrEqual(24);
    expect(n).toBeLessThanOrEqual(96);
    expect(done.finishReason).toBe("stop");
    const text = textOf(chunks);
    expect(text).toMatch(/^( [a-z]+)+$/);
    expect(text.split(" ").length - 1).toBe(n);
    expect(countTokens(text)).toBe(n);
  });

  it("counts its text exactly: every word it writes is one Llama 3 token", async () => {
    const chunks = await collect(engine(), { prompt: "every word", targetOutputTokens: 2000, maxTokens: 2000 });
    const text = textOf(chunks);
    expect(countTokens(text)).toBe(2000);
    for (const word of new Set(text.split(" ").slice(1))) expect(tokenize(` ${word}`)).toHaveLength(1);
  });

  it("takes the prompt from flattened messages when there are any", async () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ];
    const fromMessages = await collect(engine(), { messages, prompt: "ignored" });
    const fromPrompt = await collect(engine(), { prompt: flattenMessages(messages) });
    expect(fromMessages).toEqual(fromPrompt);
    expect(last(fromMessages).usage?.promptTokens).toBe(tokenize(flattenMessages(messages)).length);
  });

  it("caps at max_tokens with finish_reason length, the text a prefix of the uncapped one", async () => {
    const full = await collect(engine(), { prompt: "cap me", targetOutputTokens: 40 });
    const capped = await collect(engine(), { prompt: "cap me", targetOutputTokens: 40, maxTokens: 7 });
    expect(last(capped).finishReason).toBe("length");
    expect(last(capped).usage?.completionTokens).toBe(7);
    expect(textOf(full).startsWith(textOf(capped))).toBe(true);
  });

  it("caps at defaultMaxTokens when max_tokens is 0", async () => {
    const chunks = await collect(engine({ defaultMaxTokens: 10 }), { prompt: "p", targetOutputTokens: 50 });
    expect(last(chunks).usage?.completionTokens).toBe(10);
    expect(last(chunks).finishReason).toBe("length");
  });

  it("honours target_output_tokens", async () => {
    const chunks = await collect(engine(), { prompt: "p", targetOutputTokens: 300, maxTokens: 1000 });
    expect(last(chunks)).toMatchObject({
      finishReason: "stop",
      usage: { completionTokens: 300, promptTokens: 1, totalTokens: 301, cachedPromptTokens: 0 },
    });
  });

  it("keeps the natural length inside a configured outputTokens range", async () => {
    const e = engine({ outputTokens: { min: 3, max: 5 } });
    for (const prompt of ["a", "b", "c", "d", "e", "f"]) {
      const n = last(await collect(e, { prompt })).usage?.completionTokens ?? 0;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
  });

  it("with no delay every token is ready at once: full chunks of max_tokens_per_message; only the last carries finish and usage", async () => {
    const chunks = await collect(engine(), { prompt: "p", targetOutputTokens: 12, maxTokensPerMessage: 5 });
    expect(chunks.map((c) => c.tokenCount)).toEqual([5, 5, 2]);
    expect(chunks.slice(0, -1).every((c) => c.finishReason === undefined && c.usage === undefined)).toBe(true);
    expect(chunks.map((c) => c.text.split(" ").length - 1)).toEqual([5, 5, 2]);
    const single = await collect(engine(), { prompt: "p", targetOutputTokens: 3, maxTokensPerMessage: 0 });
    expect(single.map((c) => c.tokenCount)).toEqual([1, 1, 1]);
    expect(textOf(single)).toBe(textOf(chunks).split(" ").slice(0, 4).join(" "));
  });

  /** Reads like a consumer that keeps up: asks for the next chunk at once, lets sleeps end when due. */
  async function keepingUp(
    perMessage: number,
    fillMessages = false,
  ): Promise<{ chunks: EngineChunk[]; at: number[]; slept: number[] }> {
    const clock = new ManualSleep();
    const stream = timed(clock, { tokenDelayMs: 10 }).generate(
      request({ prompt: "p", targetOutputTokens: 12, maxTokensPerMessage: perMessage, fillMessages }),
      new AbortController().signal,
    );
    const chunks: EngineChunk[] = [];
    const at: number[] = [];
    for (;;) {
      const next = stream.next();
      await flush();
      clock.wake();
      const r = await next;
      if (r.done === true) break;
      chunks.push(r.value);
      at.push(clock.now());
    }
    return { chunks, at, slept: clock.requested };
  }

  it("hands each token over when it is due: a consumer that keeps up gets one per chunk, even with max_tokens_per_message 16", async () => {
    const perToken = await keepingUp(1);
    const coalescing = await keepingUp(16);
    for (const run of [perToken, coalescing]) {
      expect(run.chunks.map((c) => c.tokenCount)).toEqual(Array.from({ length: 12 }, () => 1));
      // Token k is handed over tokenDelayMs × k after the start, one sleep each.
      expect(run.at).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
      expect(run.slept).toEqual(Array.from({ length: 12 }, () => 10));
    }
    expect(coalescing.chunks).toEqual(perToken.chunks);
    expect(last(coalescing.chunks)).toMatchObject({ finishReason: "stop", usage: { completionTokens: 12 } });
  });

  it("with fill_messages waits for a full message: chunks of max_tokens_per_message, each when its last token is due", async () => {
    const filled = await keepingUp(5, true);
    expect(filled.chunks.map((c) => c.tokenCount)).toEqual([5, 5, 2]);
    expect(filled.at).toEqual([50, 100, 120]);
    const perToken = await keepingUp(1);
    expect(textOf(filled.chunks)).toBe(textOf(perToken.chunks));
  });

  it("hands a consumer that fell behind every token that is due, up to max_tokens_per_message, without waiting for more", async () => {
    const clock = new ManualSleep();
    const e = timed(clock, { tokenDelayMs: 10 });
    const stream = e.generate(
      request({ prompt: "p", targetOutputTokens: 40, maxTokensPerMessage: 16 }),
      new AbortController().signal,
    );
    const chunks: EngineChunk[] = [];
    const pull = async (): Promise<void> => {
      const next = stream.next();
      await flush();
      clock.wake();
      const r = await next;
      if (r.done !== true) chunks.push(r.value);
    };
    await pull(); // token 1 at 10 ms
    clock.advance(75); // 85 ms: tokens 2..8 are due
    await pull();
    expect(chunks.map((c) => c.tokenCount)).toEqual([1, 7]);
    expect(clock.requested).toEqual([10]); // nothing was due only for the first token
    clock.advance(300); // 385 ms: tokens 9..38 are due
    await pull();
    await pull();
    await pull(); // token 39: waits for it alone
    await pull(); // token 40
    expect(chunks.map((c) => c.tokenCount)).toEqual([1, 7, 16, 14, 1, 1]);
    expect(clock.requested).toEqual([10, 5, 10]);
    expect(clock.now()).toBe(400);
    expect(last(chunks)).toMatchObject({ finishReason: "stop", usage: { completionTokens: 40 } });
    expect(chunks.slice(0, -1).every((c) => c.finishReason === undefined && c.usage === undefined)).toBe(true);
    // The same text as one token per chunk.
    const perToken = await collect(engine(), { prompt: "p", targetOutputTokens: 40, maxTokensPerMessage: 1 });
    expect(textOf(chunks)).toBe(textOf(perToken));
  });

  it("keeps to its schedule with the real timer: a slow consumer does not slow generation down", async () => {
    const e = engine({ tokenDelayMs: 2 });
    const started = performance.now();
    const chunks: EngineChunk[] = [];
    for await (const c of e.generate(request({ prompt: "p", targetOutputTokens: 50, maxTokensPerMessage: 16 }), new AbortController().signal)) {
      chunks.push(c);
      await new Promise((r) => setTimeout(r, 30));
    }
    // 50 tokens are due after 100 ms; a consumer that takes 30 ms per chunk gets them in a few chunks.
    expect(chunks.reduce((n, c) => n + c.tokenCount, 0)).toBe(50);
    expect(chunks.length).toBeLessThan(12);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeLessThanOrEqual(16);
    expect(Math.max(...chunks.slice(1).map((c) => c.tokenCount))).toBeGreaterThan(1);
    expect(textOf(chunks)).toBe(textOf(await collect(engine(), { prompt: "p", targetOutputTokens: 50 })));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("never sleeps when tokenDelayMs is 0", async () => {
    const e = engine({
      sleep: () => {
        throw new Error("the zero-delay engine must not sleep");
      },
    });
    const chunks = await collect(e, { prompt: "p", targetOutputTokens: 20 });
    expect(chunks).toHaveLength(20);
  });

  it("runs at most maxConcurrency generations and queues the rest in FIFO order", async () => {
    const clock = new ManualSleep();
    const e = timed(clock, { tokenDelayMs: 1, maxConcurrency: 2 });
    const signal = new AbortController().signal;
    const order: string[] = [];
    const run = async (name: string): Promise<void> => {
      for await (const c of e.generate(request({ prompt: name, targetOutputTokens: 2 }), signal)) {
        if (c.finishReason !== undefined) order.push(name);
      }
    };
    const runs = ["a", "b", "c", "d"].map(run);
    await flush();
    expect(e.load()).toMatchObject({ running: 2, waiting: 2, maxConcurrency: 2 });
    expect(e.load().kvUsage).toBeGreaterThan(0);
    while (order.length < 4) {
      clock.wake();
      await flush();
    }
    await Promise.all(runs);
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(e.load()).toEqual({ running: 0, waiting: 0, maxConcurrency: 2, kvUsage: 0 });
  });

  it("frees the slot when the last chunk is handed over", async () => {
    const e = engine({ maxConcurrency: 1 });
    const stream = e.generate(request({ prompt: "p", targetOutputTokens: 2 }), new AbortController().signal);
    expect((await stream.next()).value?.finishReason).toBeUndefined();
    expect(e.load().running).toBe(1);
    expect((await stream.next()).value?.finishReason).toBe("stop");
    expect(e.load().running).toBe(0);
  });

  it("stops promptly when aborted mid-generation, cancelling the pending sleep", async () => {
    const clock = new ManualSleep();
    const e = timed(clock, { tokenDelayMs: 5, maxConcurrency: 1 });
    const ac = new AbortController();
    const stream = e.generate(request({ prompt: "p", targetOutputTokens: 10 }), ac.signal);
    const first = stream.next();
    await flush();
    clock.wake();
    expect((await first).value?.tokenCount).toBe(1);
    const second = stream.next();
    await flush();
    expect(clock.pending).toBe(1);
    ac.abort();
    await expect(second).rejects.toMatchObject({ name: "AbortError" });
    expect(clock.pending).toBe(0);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("stops promptly with the real timer too", async () => {
    const e = engine({ tokenDelayMs: 10_000, maxConcurrency: 1 });
    const ac = new AbortController();
    const started = Date.now();
    const pending = collect(e, { prompt: "p", targetOutputTokens: 10 }, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e.load().running).toBe(0);
  });

  it("releases the slot on abort even while the consumer is not pulling", async () => {
    const e = engine({ maxConcurrency: 1 });
    const ac = new AbortController();
    const stream = e.generate(request({ prompt: "p", targetOutputTokens: 10 }), ac.signal);
    await stream.next();
    expect(e.load().running).toBe(1);
    ac.abort();
    expect(e.load().running).toBe(0);
    await expect(stream.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("releases the slot when the consumer stops early", async () => {
    const e = engine({ maxConcurrency: 1 });
    for await (const _ of e.generate(request({ prompt: "p", targetOutputTokens: 10 }), new AbortController().signal)) {
      break;
    }
    expect(e.load().running).toBe(0);
  });

  it("takes a queued request out of the queue when its signal aborts", async () => {
    const clock = new ManualSleep();
    const e = timed(clock, { tokenDelayMs: 1, maxConcurrency: 1 });
    const a = collect(e, { prompt: "a", targetOutputTokens: 1 });
    const bAbort = new AbortController();
    const b = collect(e, { prompt: "b", targetOutputTokens: 1 }, bAbort.signal);
    const c = collect(e, { prompt: "c", targetOutputTokens: 1 });
    await flush();
    expect(e.load()).toMatchObject({ running: 1, waiting: 2 });
    bAbort.abort();
    await expect(b).rejects.toMatchObject({ name: "AbortError" });
    expect(e.load()).toMatchObject({ running: 1, waiting: 1 });
    clock.wake();
    await a;
    await flush();
    expect(e.load()).toMatchObject({ running: 1, waiting: 0 });
    clock.wake();
    expect(last(await c).finishReason).toBe("stop");
  });

  it("refuses an already aborted signal without taking a slot", async () => {
    const e = engine({ maxConcurrency: 1 });
    await expect(collect(e, { prompt: "p" }, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
    expect(e.load()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("rejects bad options", () => {
    expect(() => engine({ maxConcurrency: 0 })).toThrow(RangeError);
    expect(() => engine({ tokenDelayMs: -1 })).toThrow(RangeError);
    expect(() => engine({ outputTokens: { min: 10, max: 5 } })).toThrow(/at least/);
  });
});

describe("PlaceholderEngine prefix cache (placeholder) and KV events", () => {
  function recording(options: Partial<PlaceholderEngineOptions> = {}): { e: PlaceholderEngine; events: KvEventInit[] } {
    const e = engine({ now: () => 1_700_000_000_000, instanceId: "small-0", ...options });
    const events: KvEventInit[] = [];
    e.onKvEvent((ev) => events.push(ev));
    return { e, events };
  }

  it("stores the prompt's full blocks, then reports them as cached on a repeat", async () => {
    const { e, events } = recording();
    const prompt = promptOf(40);
    const hashes = blockHashes(tokenize(prompt), 16);
    expect(hashes).toHaveLength(2);

    const first = await collect(e, { prompt, targetOutputTokens: 1 });
    expect(last(first).usage?.cachedPromptTokens).toBe(0);
    expect(events).toEqual([
      {
        instanceId: "small-0",
        tier: "small",
        sequence: 1n,
        timestampMs: 1_700_000_000_000n,
        event: { case: "stored", value: { blockHashes: hashes, blockSize: 16 } },
      },
    ]);

    const again = await collect(e, { prompt, targetOutputTokens: 1 });
    expect(last(again).usage).toMatchObject({ promptTokens: 40, cachedPromptTokens: 32 });
    expect(events).toHaveLength(1);
  });

  it("stores only the new blocks of an extended prompt, with their parent", async () => {
    const { e, events } = recording();
    const base = promptOf(32);
    const longer = `${base} ${promptOf(16, "stone")}`;
    await collect(e, { prompt: base, targetOutputTokens: 1 });
    const chunks = await collect(e, { prompt: longer, targetOutputTokens: 1 });
    expect(last(chunks).usage?.cachedPromptTokens).toBe(32);
    const all = blockHashes(tokenize(longer), 16);
    expect(events.map((ev) => ev.sequence)).toEqual([1n, 2n]);
    expect(events[1]?.event).toEqual({
      case: "stored",
      value: { blockHashes: [all[2]], parentBlockHash: all[1], blockSize: 16 },
    });
  });

  it("evicts least recently used blocks, tail first, and says so before storing", async () => {
    const { e, events } = recording({ kvCapacityBlocks: 3 });
    const a = promptOf(32, "river");
    const b = promptOf(32, "stone");
    const ha = blockHashes(tokenize(a), 16);
    const hb = blockHashes(tokenize(b), 16);
    await collect(e, { prompt: a, targetOutputTokens: 1 });
    await collect(e, { prompt: b, targetOutputTokens: 1 });
    expect(events.map((ev) => [ev.sequence, ev.event?.case])).toEqual([
      [1n, "stored"],
      [2n, "removed"],
      [3n, "stored"],
    ]);
    expect(events[1]?.event?.value).toEqual({ blockHashes: [ha[1]] });
    expect(events[2]?.event?.value).toEqual({ blockHashes: hb, blockSize: 16 });
    // a's first block survived: a repeat of a reuses it and re-stores its tail.
    const again = await collect(e, { prompt: a, targetOutputTokens: 1 });
    expect(last(again).usage?.cachedPromptTokens).toBe(16);
    expect(events[4]?.event).toEqual({
      case: "stored",
      value: { blockHashes: [ha[1]], parentBlockHash: ha[0], blockSize: 16 },
    });
  });

  it("prefill_only caches the prompt and generates nothing: one chunk, finish prefill, then a repeat hits the cache", async () => {
    const { e, events } = recording();
    const prompt = promptOf(40);
    const warm = await collect(e, { prompt, prefillOnly: true, targetOutputTokens: 50 });
    expect(warm).toEqual([
      {
        text: "",
        tokenCount: 0,
        finishReason: "prefill",
        usage: { promptTokens: 40, completionTokens: 0, totalTokens: 40, cachedPromptTokens: 0 },
      },
    ]);
    expect(events.map((ev) => ev.event?.case)).toEqual(["stored"]);
    expect(e.load()).toMatchObject({ running: 0, waiting: 0 });
    const real = await collect(e, { prompt, targetOutputTokens: 3 });
    expect(last(real).usage).toMatchObject({ cachedPromptTokens: 32, completionTokens: 3 });
    const again = await collect(e, { prompt, prefillOnly: true });
    expect(again[0]?.usage?.cachedPromptTokens).toBe(32);
  });

  it("prefill_only queues for a slot like any request and honours its signal", async () => {
    const clock = new ManualSleep();
    const e = timed(clock, { tokenDelayMs: 1, maxConcurrency: 1 });
    const busy = collect(e, { prompt: "a", targetOutputTokens: 1 });
    const ac = new AbortController();
    const warm = collect(e, { prompt: "b", prefillOnly: true }, ac.signal);
    await flush();
    expect(e.load()).toMatchObject({ running: 1, waiting: 1 });
    ac.abort();
    await expect(warm).rejects.toMatchObject({ name: "AbortError" });
    clock.wake();
    await busy;
    expect(e.load()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("keeps generating when a KV listener throws", async () => {
    const { e } = recording();
    e.onKvEvent(() => {
      throw new Error("bus closed");
    });
    const chunks = await collect(e, { prompt: promptOf(20), targetOutputTokens: 2 });
    expect(last(chunks).finishReason).toBe("stop");
  });

  it("stops calling a listener once removed", async () => {
    const e = engine();
    const seen: KvEventInit[] = [];
    const off = e.onKvEvent((ev) => seen.push(ev));
    off();
    await collect(e, { prompt: promptOf(20), targetOutputTokens: 1 });
    expect(seen).toHaveLength(0);
  });
});
