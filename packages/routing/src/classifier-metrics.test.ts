import { describe, expect, it } from "vitest";
import { auc, expectedCalibrationError, logLoss } from "./classifier-metrics.js";

describe("auc", () => {
  it("is 1 for a perfect ranking, 0 for a reversed one, 0.5 for ties", () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it("counts pairs: 3 of 4 positive–negative pairs ordered gives 0.75", () => {
    expect(auc([0.1, 0.6, 0.4, 0.9], [0, 0, 1, 1])).toBe(0.75);
  });

  it("is NaN when a class is missing", () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe("expectedCalibrationError and logLoss", () => {
  it("is 0 when predictions match the rates and grows with the gap", () => {
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0);
    expect(expectedCalibrationError([0.9, 0.9], [0, 0])).toBeCloseTo(0.9);
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.log(2));
  });
});
