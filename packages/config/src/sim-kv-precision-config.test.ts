import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const tier = (engineOptions: string) => `tiers: [{ name: small, model: m, engine: sim, engineOptions: { preset: llama-3.1-8b/h100${engineOptions} } }]\n`;

function problemsOf(yaml: string): readonly string[] {
  try {
    parseConfig(yaml, {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("tiers[].engineOptions.kvPrecision and anchorBlocks (engine sim)", () => {
  it("are optional: unset, the simulator's defaults apply (fp16, 4 anchors)", () => {
    const o = parseConfig(tier(""), {}).tiers[0]!.engineOptions;
    expect(o.kvPrecision).toBeUndefined();
    expect(o.anchorBlocks).toBeUndefined();
  });

  it("take an anchored precision and an anchor count", () => {
    const o = parseConfig(tier(", kvPrecision: int8-anchored, anchorBlocks: 8"), {}).tiers[0]!.engineOptions;
    expect(o).toMatchObject({ kvPrecision: "int8-anchored", anchorBlocks: 8 });
    expect(parseConfig(tier(", kvPrecision: fp8-anchored, anchorBlocks: 0"), {}).tiers[0]!.engineOptions.anchorBlocks).toBe(0);
  });

  it("refuse unknown precisions and negative or fractional anchor counts, each in one sentence", () => {
    expect(problemsOf(tier(", kvPrecision: fp4, anchorBlocks: -1"))).toEqual([
      'weir.yaml: tiers[0].engineOptions.kvPrecision must be one of "fp16", "fp8-anchored", "int8-anchored" (got "fp4"); pick fp16 (every KV block at 16 bits) or an anchored mode (blocks quantised to 8 bits except anchors and evidence), or remove it for fp16.',
      "weir.yaml: tiers[0].engineOptions.anchorBlocks must be a whole number ≥ 0 (got -1); set it to how many leading KV blocks of every sequence stay at 16 bits in an anchored kvPrecision, or remove it for 4.",
    ]);
    expect(problemsOf(tier(", anchorBlocks: 1.5"))).toHaveLength(1);
  });
});
