import { describe, expect, it } from "vitest";
import { type BenchCommandOptions, parseLiveOptions, parseOptions, parseSweepOptions } from "../../commands/bench.js";

const BASE: BenchCommandOptions = {
  trace: "azure_llm_2023_conv.csv",
  dataset: ["gsm8k"],
  artifacts: "artifacts/gsm8k",
  gpus: "8",
  gpu: "h100",
  rateScale: "1",
  sloMs: "10000",
  minQuality: "0.97",
  policy: "prefix-aware",
  seed: "1",
};

describe("weir bench --live flags", () => {
  it("default to 200 requests, speedup 1 and all four deployments; --virtual keeps 3000", () => {
    const o = parseLiveOptions({ ...BASE, live: true });
    expect(o).toMatchObject({ requests: 200, speedup: 1, deployments: ["small-only", "large-only", "static-cascade", "weir"] });
    expect(parseOptions({ ...BASE, virtual: true }).requests).toBe(3000);
  });

  it("take --speedup, --requests and a deployment list, and name a bad one", () => {
    expect(parseLiveOptions({ ...BASE, live: true, speedup: "20", requests: "12", deployments: "large-only, weir" })).toMatchObject({ speedup: 20, requests: 12, deployments: ["large-only", "weir"] });
    expect(() => parseLiveOptions({ ...BASE, live: true, speedup: "0" })).toThrow(/--speedup must be a number > 0/);
    expect(() => parseLiveOptions({ ...BASE, live: true, deployments: "tiny-only" })).toThrow(/--deployments must name some of small-only/);
  });
});

describe("weir bench --sweep and --rows flags", () => {
  it("the sweep takes the virtual flags plus its own, with defaults", () => {
    const o = parseSweepOptions({ ...BASE, virtual: true, sweep: true });
    expect(o).toMatchObject({ durationS: 60, planRequests: 3000, startScale: 16, maxScale: 256, tolerance: 0.05, rows: "held-out" });
    expect(o).not.toHaveProperty("rateScale");
  });

  it("refuses a probe too short to show a queue, a cap below the start and unknown rows", () => {
    expect(() => parseSweepOptions({ ...BASE, durationS: "20" })).toThrow(/--duration-s must be at least 3 × the SLO \(30 s\)/);
    expect(() => parseSweepOptions({ ...BASE, startScale: "32", maxScale: "8" })).toThrow(/--max-scale \(8\) must be at least --start-scale \(32\)/);
    expect(() => parseOptions({ ...BASE, rows: "train" })).toThrow(/--rows must be one of held-out, all/);
    expect(parseOptions({ ...BASE, rows: "all" }).rows).toBe("all");
    expect(parseOptions(BASE).objective).toBe("min-latency");
    expect(parseSweepOptions({ ...BASE, objective: "max-slo-attainment" }).objective).toBe("max-slo-attainment");
    expect(() => parseOptions({ ...BASE, objective: "fastest" })).toThrow(/--objective must be min-latency or max-slo-attainment/);
  });
});
