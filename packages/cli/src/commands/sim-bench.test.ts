import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES, type SimBenchCommandOptions, parseSimBenchOptions } from "./sim-bench.js";

const base: SimBenchCommandOptions = {
  trace: "mooncake_conversation.jsonl",
  instances: "8",
  preset: "llama-3.1-8b/h100",
  policies: DEFAULT_POLICIES,
  rateScale: "1",
  seed: "1",
};

describe("weir sim-bench options", () => {
  it("compares round-robin, least-loaded and prefix-aware by default, on a vendored trace by name", () => {
    const o = parseSimBenchOptions(base);
    expect(o.policies).toEqual(["round-robin", "least-loaded", "prefix-aware"]);
    expect(o.rateScales).toEqual([1]);
    expect(o.tracePath).toMatch(/mooncake_conversation\.jsonl$/);
    expect(o.migration).toBe(true);
  });

  it("takes comma lists of policies and rate scales, and --policy as a shorthand", () => {
    const o = parseSimBenchOptions({ ...base, policies: "least-loaded, length-aware,least-loaded", rateScale: "1,2.5, 3" });
    expect(o.policies).toEqual(["least-loaded", "length-aware"]);
    expect(o.rateScales).toEqual([1, 2.5, 3]);
    expect(parseSimBenchOptions({ ...base, policy: "round-robin" }).policies).toEqual(["round-robin"]);
  });

  it("passes length-group and migration choices through", () => {
    const o = parseSimBenchOptions({ ...base, lengthGroups: "3", migrate: false, oracleOutputLengths: true });
    expect(o.policyOptions).toEqual({ lengthGroups: { groups: 3 } });
    expect(o.migration).toBe(false);
    expect(o.oracleOutputLengths).toBe(true);
  });

  it("refuses bad flags with a sentence", () => {
    expect(() => parseSimBenchOptions({ ...base, policies: "fastest" })).toThrow(/"fastest" is not a policy/);
    expect(() => parseSimBenchOptions({ ...base, rateScale: "1,0" })).toThrow(/--rate-scale/);
    expect(() => parseSimBenchOptions({ ...base, instances: "0" })).toThrow(/--instances/);
    const { trace: _trace, ...noTrace } = base;
    expect(() => parseSimBenchOptions(noTrace)).toThrow(/give a trace/);
  });
});
