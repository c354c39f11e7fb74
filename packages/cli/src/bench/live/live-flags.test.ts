import { describe, expect, it } from "vitest";
import { type BenchCommandOptions, parseLiveOptions, parseOptions } from "../../commands/bench.js";

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
