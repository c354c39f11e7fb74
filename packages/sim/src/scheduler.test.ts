import { describe, expect, it } from "vitest";
import { EngineCore, type EngineCoreListener } from "./engine-core.js";
import { type SimInstanceOptions, resolveInstanceConfig } from "./instance-config.js";
import type { SimRequest, SimRequestSpec } from "./sim-request.js";

const quiet: EngineCoreListener = { onToken: () => {}, onFinish: () => {} };

function core(options: Partial<SimInstanceOptions> = {}, listener = quiet): EngineCore {
  return new EngineCore(resolveInstanceConfig({ preset: "llama-3.1-8b/h100", jitter: 0, ...options }), listener);
}

function add(c: EngineCore, spec: SimRequestSpec, nowMs = 0): SimRequest {
  const r = c.createRequest(spec);
  c.add(r, nowMs);
  return r;
}

/** Runs steps back to back until idle; returns every step's [sequences, tokens]. */
function drain(c: EngineCore, maxSteps = 100_000): Array<[number, number]> {
  const steps: Array<[number, number]> = [];
  let now = 0;
  for (let i = 0; i < maxSteps; i++) {
    const ms = c.startStep(now);
    if (ms === undefined) return steps;
    steps.push([c.stepShape.sequences, c.stepShape.tokens]);
    now += ms;
    c.finishStep(now);
  }
  throw new Error("did not drain");
}

describe("Scheduler (continuous batching, vLLM v1 style)", () => {
  it("chunks a long prefill at maxNumBatchedTokens and emits the first token at the end of the last chunk", () => {
    const tokens: number[] = [];
    const c = core({ maxNumBatchedTokens: 2048 }, { onToken: (r) => tokens.push(r.generated), onFinish: () => {} });
    add(c, { id: "a", promptTokens: 10_000, outputTokens: 3 });
    const steps = drain(c);
    expect(steps.map(([, t]) => t)).toEqual([2048, 2048, 2048, 2048, 1808, 1, 1]);
    expect(steps.every(([, t]) => t <= 2048)).toBe(true);
    expect(tokens).toEqual([1, 2, 3]);
  });

  it("schedules running decodes before prefill chunks, within the token budget", () => {
    const c = core({ maxNumBatchedTokens: 512 });
    const a = add(c, { id: "a", promptTokens: 100, outputTokens: 50 });
    let now = 0;
    now += c.startStep(now)!;
    c.finishStep(now); // a's prefill: a is now decoding
    expect(a.generated).toBe(1);
    add(c, { id: "b", promptTokens: 5000, outputTokens: 5 }, now);
    now += c.startStep(now)!;
    // a's decode (1 token) first, then b's chunk takes the rest of the budget.
    expect(c.stepShape).toMatchObject({ sequences: 2, tokens: 512 });
    c.finishStep(now);
    expect(a.generated).toBe(2);
    expect(c.load()).toMatchObject({ running: 2, waiting: 0 });
  });

  it("caps sequences per step at maxNumSeqs; the rest wait", () => {
    const c = core({ maxNumSeqs: 4 });
    for (let i = 0; i < 10; i++) add(c, { id: `r${i}`, promptTokens: 32, outputTokens: 8 });
    c.startStep(0);
    expect(c.stepShape.sequences).toBe(4);
    expect(c.load()).toMatchObject({ running: 4, waiting: 6, maxConcurrency: 4 });
    c.finishStep(1);
    const steps = drain(c);
    expect(Math.max(...steps.map(([s]) => s))).toBeLessThanOrEqual(4);
  });

  it("under memory pressure preempts the newest request, recomputes it later and completes everything", () => {
    const finished: SimRequest[] = [];
    // 2048 tokens of KV = 128 blocks; 12 requests of 300 + 200 tokens would need 3× that at once.
    const c = core({ kvCapacityTokens: 2048 }, { onToken: () => {}, onFinish: (r) => finished.push(r) });
    const reqs = Array.from({ length: 12 }, (_, i) => add(c, { id: `r${i}`, promptTokens: 300, outputTokens: 200 }));
    drain(c);
    expect(finished).toHaveLength(12);
    expect(reqs.every((r) => r.generated === 200)).toBe(true);
    expect(c.metrics()["vllm:num_preemptions"]).toBeGreaterThan(0);
    expect(reqs.some((r) => r.preemptions > 0)).toBe(true);
    // LIFO: the first request admitted is never the victim.
    expect(reqs[0]!.preemptions).toBe(0);
    expect(c.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("refuses a request that could never fit in the KV cache", () => {
    const c = core({ kvCapacityTokens: 1024 });
    expect(() => c.createRequest({ id: "big", promptTokens: 1000, outputTokens: 100 })).toThrow(
      /exceed this instance's limit of 1024/,
    );
  });

  it("aborting frees the request's blocks at once and stops its tokens", () => {
    const tokens: string[] = [];
    const c = core({}, { onToken: (r) => tokens.push(r.id), onFinish: () => {} });
    const a = add(c, { id: "a", promptTokens: 1000, outputTokens: 100 });
    let now = c.startStep(0)!;
    c.finishStep(now);
    expect(c.load().kvUsage).toBeGreaterThan(0);
    now += c.startStep(now)!;
    c.abort(a); // mid-step
    c.finishStep(now);
    expect(tokens).toEqual(["a"]);
    expect(a.phase).toBe("aborted");
    expect(c.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
    expect(c.startStep(now)).toBeUndefined();
  });
});
