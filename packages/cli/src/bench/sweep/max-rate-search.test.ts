import { describe, expect, it } from "vitest";
import { maxSustainableScale } from "./max-rate-search.js";

const opts = { start: 8, tolerance: 0.05, maxScale: 1024, minScale: 0.125 };

describe("maxSustainableScale", () => {
  it("grows from a passing start, then bisects to within the tolerance", async () => {
    const r = await maxSustainableScale(async (s) => s <= 37, opts);
    expect(r.capped).toBe(false);
    expect(r.scale).toBeLessThanOrEqual(37);
    expect(r.scale!).toBeGreaterThan(37 / 1.05);
    expect(r.probes.slice(0, 4).map((p) => p.scale)).toEqual([8, 16, 32, 64]);
    // Every probe agrees with the limit: nothing above it passed, nothing below it failed.
    for (const p of r.probes) expect(p.ok).toBe(p.scale <= 37);
  });

  it("shrinks from a failing start", async () => {
    const r = await maxSustainableScale(async (s) => s <= 1.5, opts);
    expect(r.scale).toBeLessThanOrEqual(1.5);
    expect(r.scale!).toBeGreaterThan(1.5 / 1.05);
    expect(r.probes.slice(0, 4).map((p) => p.scale)).toEqual([8, 4, 2, 1]);
  });

  it("says when the cap passed and when nothing passed", async () => {
    expect(await maxSustainableScale(async () => true, { ...opts, maxScale: 20 })).toMatchObject({ scale: 20, capped: true });
    const none = await maxSustainableScale(async () => false, opts);
    expect(none.scale).toBeUndefined();
    expect(none.probes.at(-1)!.scale).toBe(0.125);
  });

  it("refuses a nonsensical range", async () => {
    await expect(maxSustainableScale(async () => true, { ...opts, minScale: 0 })).rejects.toThrow(/minScale/);
  });
});
