import { describe, expect, it } from "vitest";
import { OutputLengthEstimator } from "./output-length-estimator.js";

describe("OutputLengthEstimator", () => {
  it("answers the default before any observation", () => {
    expect(new OutputLengthEstimator().estimate("t", 1000)).toBe(256);
    expect(new OutputLengthEstimator({ defaultOutputTokens: 99 }).estimate("t", 1000)).toBe(99);
  });

  it("moves towards what it observes, per prompt-length bin, per tier", () => {
    const e = new OutputLengthEstimator({ alpha: 0.5 });
    e.observe("t", 1000, 100);
    expect(e.estimate("t", 1000)).toBe(100);
    e.observe("t", 1000, 300);
    expect(e.estimate("t", 1000)).toBe(200);
    e.observe("t", 10_000, 2000);
    expect(e.estimate("t", 10_000)).toBe(2000);
    expect(e.estimate("t", 1000)).toBe(200);
    expect(e.estimate("other", 1000)).toBe(256);
  });

  it("borrows the nearest observed bin for an unseen prompt length", () => {
    const e = new OutputLengthEstimator();
    e.observe("t", 5000, 700);
    expect(e.estimate("t", 100)).toBe(700);
  });
});
