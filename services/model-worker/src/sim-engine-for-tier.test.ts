import { parseConfig } from "@weir/config";
import { describe, expect, it } from "vitest";
import { simEngineForTier } from "./sim-engine-for-tier.js";

const tier = (engineOptions: string) =>
  parseConfig(`tiers: [{ name: small, model: m, engine: sim, engineOptions: { preset: llama-3.1-8b/h100${engineOptions} } }]\n`, {}).tiers[0]!;

describe("simEngineForTier: KV precision", () => {
  it("passes kvPrecision and anchorBlocks to the simulated instance", () => {
    const engine = simEngineForTier(tier(", kvPrecision: fp8-anchored, anchorBlocks: 2"), "w-1");
    expect(engine.config.kvPrecision).toBe("fp8-anchored");
    expect(engine.config.anchorBlocks).toBe(2);
    // Same memory, same full-precision block count in the load; about twice the tokens once quantised.
    expect(engine.config.kvLayout.capacityTokens(12_000) / (engine.config.numBlocks * 16)).toBeGreaterThan(1.9);
  });

  it("keeps the simulator's defaults when they are unset: fp16, 4 anchors", () => {
    const engine = simEngineForTier(tier(""), "w-1");
    expect(engine.config.kvPrecision).toBe("fp16");
    expect(engine.config.anchorBlocks).toBe(4);
  });
});
