import type { CascadeCandidate, CascadePlanResult } from "@weir/planner";
import { describe, expect, it } from "vitest";
import { type PlanReport, candidateRow, formatFrontTable } from "./plan-report.js";
import { renderPlanPlot } from "./plan-plot.js";

const tiers = [
  { name: "small", artifactModel: "mixtral", simModel: "llama-3.1-8b" },
  { name: "large", artifactModel: "gpt-4", simModel: "llama-3.1-70b" },
];
const candidate = (beta: number, quality: number, latencyMs: number | undefined): CascadeCandidate => ({
  knob: { beta, thresholdShift: 0 },
  quality,
  accuracy: quality * 0.8,
  tierRequests: [10, 5],
  trafficShare: [1, 0.5],
  latencyMs,
  plan: undefined,
  ...(latencyMs === undefined ? { skipped: "pruned" } : {}),
});
const largeOnly: CascadeCandidate = { ...candidate(4, 1, 1000), knob: { beta: 0, thresholdShift: 0, onlyTier: 1 } };
const result: CascadePlanResult = {
  strongestAccuracy: 0.8,
  candidates: [candidate(0, 1, 900), candidate(1, 0.9, 300), candidate(2, 0.8, 500), candidate(3, 0.7, undefined), largeOnly],
  front: [1, 0],
  sweep: [
    { weight: 0, candidate: 0 },
    { weight: 1, candidate: 1 },
  ],
  chosen: 0,
  simulations: 0,
  cacheHits: 0,
};
const rows = result.candidates.map((c, i) => candidateRow(c, i, result, tiers));

describe("the plan report", () => {
  it("marks the front, the Tchebycheff weights and the chosen row", () => {
    expect(rows.map((r) => r.onFront)).toEqual([true, true, false, false, false]);
    expect(rows[4]!.onlyTier).toBe("large");
    expect(formatFrontTable([rows[4]!], undefined)).toContain("| large only |");
    expect(rows[0]!.tchebycheffWeights).toEqual([0]);
    expect(rows[3]!.skipped).toBe("pruned");
    const table = formatFrontTable([rows[1]!, rows[0]!], rows[0]);
    expect(table.split("\n")).toHaveLength(4);
    expect(table.split("\n")[3]).toContain("◀ chosen");
    expect(table.split("\n")[2]).not.toContain("chosen");
  });

  it("renders the front as SVG and PNG", async () => {
    const report: PlanReport = {
      simulated: true,
      gpus: 8,
      gpu: "h100",
      trace: { file: "t.csv", requests: 15, rateScale: 1, spanS: 3, requestsPerSecond: 5 },
      dataset: { name: "tiny", rows: 4 },
      artifacts: "a",
      minQuality: 0.97,
      sloE2eMs: undefined,
      strongestAccuracy: 0.8,
      chosen: rows[0],
      front: [rows[1]!, rows[0]!],
      candidates: rows,
      simulations: 0,
      cacheHits: 0,
      wallClockS: 0,
    };
    const { svg, png } = await renderPlanPlot(report);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("simulated");
    expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }, 30_000);
});
