import { createPlacementPolicy } from "@weir/placement";
import { describe, expect, it } from "vitest";
import { runFigures } from "./warmup-figures.js";
import { type SimCascadeRequest, type WarmupSimOptions, runWarmupSim } from "./warmup-sim.js";

// Synthetic requests on a light load: 1024-token prompts (64 blocks), one every 500 ms.
const PROMPT_TOKENS = 1024;
const hashes = (k: number): bigint[] => Array.from({ length: PROMPT_TOKENS / 16 }, (_, j) => BigInt(k * 1000 + j + 1));

function requests(n: number, over: (i: number) => Partial<SimCascadeRequest> = () => ({})): SimCascadeRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    arrivalMs: 500 * i,
    promptTokens: PROMPT_TOKENS,
    blockHashes: hashes(i),
    smallOutputTokens: 40,
    largeOutputTokens: 20,
    startsOnLarge: false,
    escalates: i % 2 === 0,
    warmUp: true,
    ...over(i),
  }));
}

const options = (o: Partial<WarmupSimOptions> = {}): WarmupSimOptions => ({
  small: { preset: "llama-3.1-8b/h100", instances: 1 },
  large: { preset: "llama-3.1-8b/h100", instances: 2 },
  policy: () => createPlacementPolicy("prefix-aware"),
  warmUps: true,
  maxWarmUpsInFlight: 8,
  seed: 3,
  ...o,
});

describe("runWarmupSim (virtual time)", () => {
  it("escalations find their prompt warmed and reach their first large token sooner than cold", () => {
    const reqs = requests(20);
    const cold = runFigures(runWarmupSim(reqs, options({ warmUps: false })));
    const warm = runFigures(runWarmupSim(reqs, options()));
    expect(cold.escalations).toBe(10);
    expect(cold.escalationsWithCacheHit).toBe(0);
    expect(cold.warmUps.asked).toBe(0);
    expect(warm.escalations).toBe(10);
    expect(warm.escalationsWithCacheHit).toBe(10);
    expect(warm.escalatedLargeTtftMs.p50).toBeLessThan(cold.escalatedLargeTtftMs.p50 / 2);
    expect(warm.warmUps).toMatchObject({ asked: 20, started: 20, precision: 0.5, unusedPrefillTokens: 0 });
    // The ten accepted requests' warm-ups were not needed: each computed its whole prompt.
    expect(warm.warmUps.unneededPrefillTokens).toBe(10 * PROMPT_TOKENS);
    expect(warm.warmUps.prefillTokens).toBe(20 * PROMPT_TOKENS);
    expect(warm.escalatedCachedPromptTokens).toBeGreaterThan(0.9 * warm.escalatedPromptTokens);
  });

  it("a budget of 0 skips every warm-up, and the run is then the cold one", () => {
    const reqs = requests(10);
    const none = runFigures(runWarmupSim(reqs, options({ maxWarmUpsInFlight: 0 })));
    const cold = runFigures(runWarmupSim(reqs, options({ warmUps: false })));
    expect(none.warmUps).toMatchObject({ asked: 10, started: 0, skipped: { busy: 10 } });
    expect(none.escalatedLargeTtftMs).toEqual(cold.escalatedLargeTtftMs);
  });

  it("a budget of 1 skips the warm-ups that arrive while one is prefilling", () => {
    // Ten arrivals at the same instant: one prefill starts, nine find the budget spent.
    const reqs = requests(10, () => ({ arrivalMs: 0 }));
    const f = runFigures(runWarmupSim(reqs, options({ maxWarmUpsInFlight: 1 })));
    expect(f.warmUps).toMatchObject({ asked: 10, started: 1, skipped: { busy: 9 } });
  });

  it("skips a prompt the large tier already holds, warms only plans that ask, and never warms a plan that starts large", () => {
    const reqs = requests(4, (i) => ({
      // q0 starts on large; q1 repeats its prompt later; q2 does not ask; q3 has no full block.
      ...(i === 0 ? { startsOnLarge: true, escalates: false } : {}),
      ...(i === 1 ? { blockHashes: hashes(0), arrivalMs: 5_000 } : {}),
      ...(i === 2 ? { warmUp: false } : {}),
      ...(i === 3 ? { blockHashes: [], promptTokens: 10 } : {}),
    }));
    const out = runWarmupSim(reqs, options());
    const byId = new Map(out.map((o) => [o.request.id, o]));
    expect(["q0", "q1", "q2", "q3"].map((id) => byId.get(id)?.warmUp?.outcome)).toEqual([undefined, "cached", undefined, "too_short"]);
    expect(byId.get("q0")?.small).toBeUndefined();
    expect(byId.get("q0")?.large?.outputTokens).toBe(20);
    expect(runFigures(out).startedLarge).toBe(1);
  });

  it("with a queued-prefill limit of 0, offers warm-ups only to instances with no prefill waiting", () => {
    // A burst: many 1024-token prefills queue at once; warm-ups that would join them are refused.
    const reqs = requests(30, (i) => ({ arrivalMs: i, startsOnLarge: i % 3 === 0, escalates: false }));
    const gated = runFigures(runWarmupSim(reqs, options({ warmUpMaxQueuedPrefill: 0 })));
    // The policy's own rule relaxed, so only the benchmark's limit gates.
    const open = runFigures(
      runWarmupSim(reqs, options({ policy: () => createPlacementPolicy("prefix-aware", { warmupMaxQueuedPrefillTokens: Number.POSITIVE_INFINITY }) })),
    );
    expect(gated.warmUps.skipped.no_idle_instance).toBeGreaterThan(0);
    expect(gated.warmUps.started).toBeLessThan(open.warmUps.started);
  });
});
