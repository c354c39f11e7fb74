import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.js";

describe("didYouMean", () => {
  const fields = ["replicas", "qeThreshold", "engineOptions", "name", "model"];

  it("finds typos, missing letters, swapped letters and case slips", () => {
    expect(didYouMean("replica", fields)).toBe("replicas");
    expect(didYouMean("qeTreshold", fields)).toBe("qeThreshold");
    expect(didYouMean("mdoel", fields)).toBe("model");
    expect(didYouMean("ENGINEOPTIONS", fields)).toBe("engineOptions");
  });

  it("guesses nothing when nothing is close", () => {
    expect(didYouMean("colour", fields)).toBeUndefined();
    expect(didYouMean("x", fields)).toBeUndefined();
  });
});
