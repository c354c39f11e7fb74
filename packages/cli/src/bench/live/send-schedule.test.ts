import { describe, expect, it } from "vitest";
import { sendSchedule, toModelMs } from "./send-schedule.js";

describe("sendSchedule", () => {
  it("sends each request at its arrival after the first, divided by the speedup, in time order", () => {
    expect(sendSchedule([1000, 3000, 2000, 2000], 10)).toEqual([
      { index: 0, sendAtMs: 0 },
      { index: 2, sendAtMs: 100 },
      { index: 3, sendAtMs: 100 },
      { index: 1, sendAtMs: 200 },
    ]);
    expect(sendSchedule([0, 500], 1).map((s) => s.sendAtMs)).toEqual([0, 500]);
    expect(sendSchedule([], 2)).toEqual([]);
  });

  it("refuses a speedup that is not a positive number", () => {
    expect(() => sendSchedule([0], 0)).toThrow(/speedup must be a number > 0/);
  });

  it("scales wall time back to model time", () => {
    expect(toModelMs(12.5, 20)).toBe(250);
  });
});
