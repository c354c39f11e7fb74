import { describe, expect, it } from "vitest";
import { frontierSpec, renderFrontier } from "./frontier-plot.js";
import type { TrainReport } from "./train.js";

const report = {
  dataset: "toy",
  rows: { train: 80, test: 20 },
  target: 0.97,
  methods: [
    { method: "always small", accuracy: 0.6, relativeAccuracy: 0.7, costRelative: 0.05, neverStrongest: 1, settings: "" },
    { method: "always large", accuracy: 0.85, relativeAccuracy: 1, costRelative: 1, neverStrongest: 0, settings: "" },
  ],
  frontiers: {
    Weir: [
      { costRelative: 0.05, accuracy: 0.6, neverStrongest: 1, beta: 1, thresholds: [0, 0], thresholdsWithoutText: [0, 0] },
      { costRelative: 0.5, accuracy: 0.8, neverStrongest: 0.5, beta: 0.1, thresholds: [0.5, 0], thresholdsWithoutText: [0.5, 0] },
    ],
  },
} as unknown as TrainReport;

describe("frontier plot", () => {
  it("renders the vega-lite spec headlessly to SVG and PNG", async () => {
    expect(frontierSpec(report).title).toMatchObject({ text: expect.stringContaining("toy") });
    const { svg, png } = await renderFrontier(report);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("always large");
    expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
