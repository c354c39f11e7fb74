import { describe, expect, it } from "vitest";
import { EngineCore, type EngineCoreListener } from "./engine-core.js";
import { type SimInstanceOptions, resolveInstanceConfig } from "./instance-config.js";
import type { SimRequestSpec } from "./sim-request.js";

const quiet: EngineCoreListener = { onToken: () => {}, onFinish: () => {} };
// 16,000 tokens of 16-bit KV: 1,000 full-precision blocks of 2 MiB.
const CAPACITY = 16_000;

function core(options: Partial<SimInstanceOptions> = {}, listener = quiet): EngineCore {
  return new EngineCore(
    resolveInstanceConfig({ preset: "llama-3.1-8b/h100", jitter: 0, kvCapacityTokens: CAPACITY, ...options }),
    listener,
  );
}

const ids = (n: number, salt = 0): number[] => Array.from({ length: n }, (_, i) => (i * 7919 + salt * 104_729) % 128_000);

/** Submits at `now` and runs one step; returns the time after it. */
function step(c: EngineCore, now: number): number {
  const ms = c.startStep(now);
  if (ms === undefined) throw new Error("nothing to run");
  c.finishStep(now + ms);
  return now + ms;
}

function drain(c: EngineCore, now = 0): number {
  for (let ms = c.startStep(now); ms !== undefined; ms = c.startStep(now)) {
    now += ms;
    c.finishStep(now);
  }
  return now;
}

function submit(c: EngineCore, spec: SimRequestSpec, now = 0): void {
  c.add(c.createRequest(spec), now);
}

describe("adaptive KV precision in the engine core", () => {
  it("holds a written prompt in about half the memory: anchors full, the rest quantised", () => {
    const spec = { id: "a", promptTokens: 1600, outputTokens: 10 };
    const usage = (o: Partial<SimInstanceOptions>): number => {
      const c = core(o);
      submit(c, spec);
      step(c, 0); // the whole prompt in one step: 100 blocks written
      return c.load().kvUsage;
    };
    expect(usage({})).toBeCloseTo(100 / 1000, 12);
    expect(usage({ kvPrecision: "fp8-anchored" })).toBeCloseTo((4 + 96 / 2) / 1000, 12);
    expect(usage({ kvPrecision: "fp8-anchored", anchorBlocks: 0 })).toBeCloseTo(50 / 1000, 12);
    // int8 carries its scales and zero points: 1/2 + 1/64 of a block (32 KiB of 2 MiB).
    expect(usage({ kvPrecision: "int8-anchored" })).toBeCloseTo((4 + 96 * (1 / 2 + 1 / 64)) / 1000, 12);
  });

  it("keeps evidence ranges at full precision", () => {
    const c = core({ kvPrecision: "fp8-anchored" });
    // Tokens [800, 1120): blocks 50 to 69, 20 blocks at full size.
    submit(c, { id: "rag", promptTokens: 1600, outputTokens: 10, evidence: [{ start: 800, end: 1120 }] });
    step(c, 0);
    expect(c.load().kvUsage).toBeCloseTo((4 + 20 + 76 / 2) / 1000, 12);
    expect(() => c.createRequest({ id: "bad", promptTokens: 100, outputTokens: 1, evidence: [{ start: 50, end: 200 }] })).toThrow(
      /request bad: evidence range/,
    );
  });

  it("reuses a cached block at the precision it was written with, whatever the reuser marks", () => {
    const prompt = ids(1600, 1);
    // A writes the prompt quantised; B marks all of it as evidence but finds 99 blocks cached.
    const c = core({ kvPrecision: "fp8-anchored" });
    submit(c, { id: "a", promptTokens: 1600, outputTokens: 1, promptTokenIds: prompt });
    let now = drain(c);
    submit(c, { id: "b", promptTokens: 1600, outputTokens: 10, promptTokenIds: prompt, evidence: [{ start: 0, end: 1600 }] }, now);
    now = step(c, now);
    expect(c.metrics()["vllm:prefix_cache_hits"]).toBe(99 * 16);
    // 4 anchors + 95 quantised reused, the recomputed last block full (evidence).
    expect(c.load().kvUsage).toBeCloseTo((4 + 95 / 2 + 1) / 1000, 12);

    // The other way round: written full as evidence, reused full by a request that marks nothing.
    const d = core({ kvPrecision: "fp8-anchored" });
    submit(d, { id: "c", promptTokens: 1600, outputTokens: 1, promptTokenIds: prompt, evidence: [{ start: 0, end: 1600 }] });
    now = drain(d);
    submit(d, { id: "d", promptTokens: 1600, outputTokens: 10, promptTokenIds: prompt }, now);
    step(d, now);
    expect(d.load().kvUsage).toBeCloseTo((99 + 1 / 2) / 1000, 12);
  });

  it("runs more requests at once under memory pressure, so it preempts less", () => {
    const run = (o: Partial<SimInstanceOptions>): { maxRunning: number; preemptions: number; finished: number } => {
      let finished = 0;
      const c = core({ kvCapacityTokens: 8192, ...o }, { onToken: () => {}, onFinish: () => finished++ });
      for (let i = 0; i < 16; i++) submit(c, { id: `r${i}`, promptTokens: 1500, outputTokens: 200, promptTokenIds: ids(1500, i + 2) });
      let maxRunning = 0;
      let now = 0;
      for (let ms = c.startStep(now); ms !== undefined; ms = c.startStep(now)) {
        maxRunning = Math.max(maxRunning, c.load().running);
        now += ms;
        c.finishStep(now);
      }
      return { maxRunning, preemptions: c.metrics()["vllm:num_preemptions"], finished };
    };
    const fp16 = run({});
    const fp8 = run({ kvPrecision: "fp8-anchored" });
    expect(fp16.finished).toBe(16);
    expect(fp8.finished).toBe(16);
    expect(fp8.maxRunning).toBeGreaterThan(fp16.maxRunning * 1.5);
    expect(fp8.preemptions).toBeLessThan(fp16.preemptions);
  });

  it("decodes a long context faster (less KV to read); fp16 steps are unchanged", () => {
    const decodeMs = (o: Partial<SimInstanceOptions>): number => {
      const c = core({ kvCapacityTokens: 100_000, ...o });
      submit(c, { id: "long", promptTokens: 32_000, outputTokens: 5 });
      let now = 0;
      while (c.stepShape.tokens !== 1 || c.stepShape.sequences !== 1) now = step(c, now); // through the prefill chunks
      const ms = c.startStep(now)!;
      expect(c.stepShape.tokens).toBe(1);
      return ms;
    };
    const fp16 = decodeMs({});
    const fp8 = decodeMs({ kvPrecision: "fp8-anchored" });
    const fp16Config = resolveInstanceConfig({ preset: "llama-3.1-8b/h100", jitter: 0, kvCapacityTokens: 100_000 });
    // The step the roofline gives for one sequence that reads 32,002 tokens of KV, none quantised.
    expect(fp16).toBe(
      fp16Config.stepTime.stepTimeMs({ sequences: 1, tokens: 1, attendedContext: 32_002, kvTokensRead: 32_002 }),
    );
    expect(fp8).toBeLessThan(fp16);
    // 4 GiB of 16-bit KV next to 16 GB of weights: about a tenth less, not half.
    expect(fp8 / fp16).toBeGreaterThan(0.8);
  });

  it("validates the options", () => {
    const resolve = (o: Partial<SimInstanceOptions>) => () => resolveInstanceConfig({ preset: "llama-3.1-8b/h100", ...o });
    expect(resolve({})().kvPrecision).toBe("fp16");
    expect(resolve({})().anchorBlocks).toBe(4);
    expect(resolve({ kvPrecision: "int8-anchored", anchorBlocks: 0 })().anchorBlocks).toBe(0);
    expect(resolve({ kvPrecision: "fp4" as never })).toThrow(/kvPrecision must be one of "fp16", "fp8-anchored", "int8-anchored"/);
    expect(resolve({ kvPrecision: "fp8-anchored", anchorBlocks: -1 })).toThrow(/anchorBlocks must be a whole number ≥ 0/);
    expect(resolve({ kvPrecision: "fp8-anchored", kvCacheDtype: "fp8" })).toThrow(/use kvCacheDtype "bf16"/);
    // Same memory, same full-precision block count: what load() reports as the blocks in all.
    expect(resolve({ kvPrecision: "fp8-anchored" })().numBlocks).toBe(resolve({})().numBlocks);
  });
});
