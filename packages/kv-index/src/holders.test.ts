import { describe, expect, it } from "vitest";
import { SharedHolders } from "./holders.js";

describe("SharedHolders", () => {
  it("refers to lists by negative values and reuses released ones", () => {
    const shared = new SharedHolders();
    const a = shared.add([1, 2]);
    const b = shared.add([3, 4, 5]);
    expect(a).toBeLessThan(0);
    expect(b).toBeLessThan(0);
    expect(shared.get(a)).toEqual([1, 2]);
    expect(shared.get(b)).toEqual([3, 4, 5]);
    shared.release(a);
    expect(shared.add([9, 8])).toBe(a);
    expect(shared.get(a)).toEqual([9, 8]);
  });
});
