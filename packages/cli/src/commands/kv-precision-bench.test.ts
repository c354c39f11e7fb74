import { describe, expect, it } from "vitest";
import { type KvPrecisionBenchCommandOptions, parseKvPrecisionBenchOptions } from "./kv-precision-bench.js";

const flags: KvPrecisionBenchCommandOptions = {
  trace: "mooncake_conversation.jsonl",
  instances: "8",
  preset: "llama-3.1-8b/h100",
  policy: "round-robin",
  precisions: "fp16,fp8-anchored,int8-anchored",
  anchorBlocks: "4",
  rateScale: "2.5",
  seed: "1",
};

describe("weir kv-precision-bench flags", () => {
  it("turn into bench options, the vendored trace found by name", () => {
    const o = parseKvPrecisionBenchOptions(flags);
    expect(o.tracePath).toMatch(/datasets\/traces\/mooncake_conversation\.jsonl$/);
    expect(o).toMatchObject({ instances: 8, precisions: ["fp16", "fp8-anchored", "int8-anchored"], anchorBlocks: 4, rateScale: 2.5 });
    expect(o.kvCapacityTokens).toBeUndefined();
    expect(parseKvPrecisionBenchOptions({ ...flags, precisions: " fp8-anchored , fp16,fp8-anchored" }).precisions).toEqual(["fp8-anchored", "fp16"]);
  });

  it("refuse bad values with a sentence naming the flag", () => {
    expect(() => parseKvPrecisionBenchOptions({ ...flags, precisions: "fp16,fp4" })).toThrow(/--precisions must list some of fp16, fp8-anchored, int8-anchored/);
    expect(() => parseKvPrecisionBenchOptions({ ...flags, anchorBlocks: "-1" })).toThrow(/--anchor-blocks must be a whole number ≥ 0/);
    expect(() => parseKvPrecisionBenchOptions({ ...flags, policy: "length-aware" })).toThrow(/--policy must be one of/);
    expect(() => parseKvPrecisionBenchOptions({ ...flags, rateScale: "0" })).toThrow(/--rate-scale/);
    expect(() => parseKvPrecisionBenchOptions({ ...flags, preset: "gpt-9/h100" })).toThrow(/unknown sim preset/);
  });
});
