import type { TraceRequest } from "@weir/datasets";
import { H100_SXM, LLAMA_3_1_70B, LLAMA_3_1_8B, resolveInstanceConfig } from "@weir/sim";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DeploymentOption } from "./deployment-option.js";
import { LatencyCache } from "./latency-cache.js";
import { replicaConfig } from "./replica-config.js";
import { resolveSimSettings } from "./sim-settings.js";
import { TierLatencyModel, tierTraffic } from "./tier-latency-model.js";

const option = (tensorParallel: number, replicas: number): DeploymentOption => ({
  tensorParallel,
  replicas,
  gpus: tensorParallel * replicas,
  kvCapacityTokens: 0,
});

/** `n` requests, one every `gapMs`, all alike. */
function steady(n: number, gapMs: number, inputTokens: number, outputTokens: number): TraceRequest[] {
  return Array.from({ length: n }, (_, i) => ({ arrivalMs: i * gapMs, inputTokens, outputTokens }));
}

const dir = mkdtempSync(join(tmpdir(), "weir-planner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("replicaConfig", () => {
  it("is the sim's own resolution when a preset matches exactly", () => {
    const settings = resolveSimSettings();
    const ours = replicaConfig(LLAMA_3_1_70B, H100_SXM, 4, settings, 3);
    const sims = resolveInstanceConfig({ preset: "llama-3.1-70b/h100x4", seed: 3 });
    expect(ours.numBlocks).toBe(sims.numBlocks);
    expect(ours.preset.id).toBe(sims.preset.id);
  });

  it("gives a degree without a preset its own capacity and step time", () => {
    const settings = resolveSimSettings();
    const tp1 = replicaConfig(LLAMA_3_1_8B, H100_SXM, 1, settings, 0);
    const tp2 = replicaConfig(LLAMA_3_1_8B, H100_SXM, 2, settings, 0);
    expect(tp2.preset.tensorParallel).toBe(2);
    expect(tp2.numBlocks).toBeGreaterThan(2 * tp1.numBlocks);
    const decode = { sequences: 1, tokens: 1, attendedContext: 1000, kvTokensRead: 1000 };
    expect(tp2.stepTime.stepTimeMs(decode)).toBeLessThan(tp1.stepTime.stepTimeMs(decode));
  });
});

describe("TierLatencyModel", () => {
  it("times a lone request as prefill + one decode step per further token (simulated)", () => {
    const model = new TierLatencyModel({ settings: { seed: 1 } });
    const l = model.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 1), tierTraffic(steady(1, 0, 1000, 101)));
    // README anchors: 1k-token prefill ≈ 34.8 ms, decode ≈ 7 ms per token at batch 1.
    expect(l.ttftMs.p50).toBeGreaterThan(25);
    expect(l.ttftMs.p50).toBeLessThan(45);
    expect(l.tpotMs.p50).toBeGreaterThan(6);
    expect(l.tpotMs.p50).toBeLessThan(8.5);
    expect(l.e2eMs.p50).toBeCloseTo(l.ttftMs.p50 + 100 * l.tpotMs.p50, 6);
  });

  it("under load, more replicas cut the tail, and an SLO is met more often", () => {
    const model = new TierLatencyModel();
    // 4k-token prompts at 25/s: ≈ 3.5 s of prefill per second for one H100, so one replica saturates.
    const traffic = tierTraffic(steady(100, 40, 4000, 16));
    const slo = { e2eMs: 2000 };
    const one = model.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 1), traffic, slo);
    const four = model.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 4), traffic, slo);
    expect(four.e2eMs.p95).toBeLessThan(one.e2eMs.p95 / 2);
    expect(four.sloAttainment!).toBeGreaterThan(one.sloAttainment!);
    expect(four.completed).toBe(100);
  });

  it("refuses requests longer than a replica's KV cache, and counts them as SLO misses", () => {
    const model = new TierLatencyModel();
    // 70B on 2×H100 holds ≈19k tokens of KV.
    const traffic = tierTraffic([...steady(3, 100, 500, 10), { arrivalMs: 50, inputTokens: 30_000, outputTokens: 10 }]);
    const l = model.evaluate(LLAMA_3_1_70B, H100_SXM, option(2, 1), traffic, { e2eMs: 1e9 });
    expect(l.refused).toBe(1);
    expect(l.completed).toBe(3);
    expect(l.sloAttainment).toBeCloseTo(0.75, 9);
  });

  it("simulates each (tier, option, traffic) once, and reads it back from disk in a new process", () => {
    const path = join(dir, "latency.json");
    const traffic = tierTraffic(steady(20, 100, 500, 20));
    const first = new TierLatencyModel({ cache: new LatencyCache(path) });
    const a = first.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 2), traffic);
    first.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 2), traffic);
    expect([first.simulations, first.cacheHits]).toEqual([1, 1]);
    first.cache.save();

    const second = new TierLatencyModel({ cache: new LatencyCache(path) });
    const b = second.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 2), traffic);
    expect([second.simulations, second.cacheHits]).toEqual([0, 1]);
    expect(b.e2eMs.p95).toBeCloseTo(a.e2eMs.p95, 2);
    // Other traffic, other settings: simulated again.
    second.evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 2), tierTraffic(steady(21, 100, 500, 20)));
    new TierLatencyModel({ cache: second.cache, settings: { seed: 9 } }).evaluate(LLAMA_3_1_8B, H100_SXM, option(1, 2), traffic);
    expect(second.cache.size).toBe(3);
  });
});
