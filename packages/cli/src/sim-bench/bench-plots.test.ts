import { describe, expect, it } from "vitest";
import { latencySpec, renderPlot } from "./bench-plots.js";
import type { SimBenchReport, SimBenchRun } from "./run-sim-bench.js";

const dist = (p50: number) => ({ mean: p50, p50, p90: p50 * 2, p99: p50 * 4, max: p50 * 5 });

function run(policy: SimBenchRun["policy"], rateScale: number, ttft: number): SimBenchRun {
  return {
    policy,
    rateScale,
    refused: 0,
    simulated: {
      completed: 10,
      durationS: 1,
      ttftMs: dist(ttft),
      tpotMs: dist(10),
      e2eMs: dist(ttft * 10),
      prefixHitRate: 0,
      requestsPerSecond: 10,
      outputTokensPerSecond: 100,
      promptTokensPerSecond: 1000,
      preemptions: 0,
      migrations: 0,
      requestsPerInstance: [5, 5],
    },
    placementRefusals: 0,
    wallClock: { simulateS: 0.1 },
  };
}

const report: SimBenchReport = {
  trace: "t.jsonl",
  preset: "llama-3.1-8b/h100",
  instances: 2,
  seed: 1,
  requests: 10,
  baseArrivalRate: 1,
  migration: true,
  oracleOutputLengths: false,
  runs: [run("round-robin", 1, 300), run("prefix-aware", 1, 200), run("round-robin", 2, 900), run("prefix-aware", 2, 250)],
  wallClock: { loadS: 0, simulateS: 0, peakRssMiB: 0 },
};

describe("sim-bench plots", () => {
  it("plots TTFT and e2e p50/p99 in seconds per policy and rate, labelled as simulated", () => {
    const spec = latencySpec(report) as unknown as { data: { values: { policy: string; metric: string; seconds: number }[] }; title: { subtitle: string } };
    expect(spec.data.values).toHaveLength(4 * 4);
    expect(spec.data.values.find((v) => v.policy === "round-robin" && v.metric === "TTFT p99")?.seconds).toBe(1.2);
    expect(spec.title.subtitle).toMatch(/simulated/);
  });

  it("renders SVG and PNG headlessly", async () => {
    const { svg, png } = await renderPlot(latencySpec(report));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("TTFT p50");
    expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });
});
