import { describe, expect, it } from "vitest";
import type { LabelledDataset } from "./labelled-dataset.js";
import { loadGsm8k } from "./routellm.js";
import { assignSplit, splitDataset } from "./split-dataset.js";

const FRACTIONS = { train: 0.6, validation: 0.2, test: 0.2 };
const ids = (ds: LabelledDataset): string[] => ds.rows.map((r) => r.id);

describe("splitDataset", () => {
  const gsm8k = loadGsm8k();

  it("partitions the rows, keeping models and order", () => {
    const s = splitDataset(gsm8k, { seed: 1, fractions: FRACTIONS });
    const all = [...ids(s.train), ...ids(s.validation), ...ids(s.test)];
    expect(all).toHaveLength(990);
    expect(new Set(all)).toEqual(new Set(ids(gsm8k)));
    expect(s.train.name).toBe("gsm8k:train");
    expect(s.test.models).toEqual(gsm8k.models);
    const position = new Map(ids(gsm8k).map((id, i) => [id, i]));
    const trainPositions = ids(s.train).map((id) => position.get(id) ?? -1);
    expect(trainPositions).toEqual([...trainPositions].sort((a, b) => a - b));
  });

  it("is deterministic, and pinned so that it is the same on every machine", () => {
    const a = splitDataset(gsm8k, { seed: 1, fractions: FRACTIONS });
    const b = splitDataset(gsm8k, { seed: 1, fractions: FRACTIONS });
    expect(ids(b.test)).toEqual(ids(a.test));
    expect([a.train.rows.length, a.validation.rows.length, a.test.rows.length]).toEqual([619, 198, 173]);
    expect(assignSplit("0123456789abcdef", { seed: "weir", fractions: FRACTIONS })).toBe(
      assignSplit("0123456789abcdef", { seed: "weir", fractions: FRACTIONS }),
    );
  });

  it("gives other splits for another seed", () => {
    const a = splitDataset(gsm8k, { seed: 1, fractions: FRACTIONS });
    const b = splitDataset(gsm8k, { seed: 2, fractions: FRACTIONS });
    expect(ids(b.test)).not.toEqual(ids(a.test));
    expect(Math.abs(b.train.rows.length - 594)).toBeLessThan(60);
  });

  it("assigns each row by its id alone: the same under reordering and subsetting", () => {
    const opts = { seed: "x", fractions: FRACTIONS };
    const subset = { ...gsm8k, rows: gsm8k.rows.filter((_, i) => i % 3 === 0).reverse() };
    const whole = new Set(ids(splitDataset(gsm8k, opts).validation));
    for (const id of ids(splitDataset(subset, opts).validation)) expect(whole.has(id)).toBe(true);
  });

  it("keeps rows with the same prompt together and honours 0 and 1 fractions", () => {
    const row = gsm8k.rows[0];
    if (row === undefined) throw new Error("no rows");
    const twice = { ...gsm8k, rows: [row, { ...row }] };
    for (let seed = 0; seed < 20; seed++) {
      const s = splitDataset(twice, { seed, fractions: FRACTIONS });
      expect([s.train.rows.length, s.validation.rows.length, s.test.rows.length]).toContain(2);
    }
    const allTest = splitDataset(gsm8k, { seed: 1, fractions: { train: 0, validation: 0, test: 1 } });
    expect(allTest.test.rows).toHaveLength(990);
  });

  it("rejects fractions that are negative or do not sum to 1", () => {
    expect(() => splitDataset(gsm8k, { seed: 1, fractions: { train: 0.5, validation: 0.2, test: 0.2 } })).toThrow(
      /sum to 1/,
    );
    expect(() => splitDataset(gsm8k, { seed: 1, fractions: { train: 1.2, validation: -0.2, test: 0 } })).toThrow(
      /fractions.validation must be a number ≥ 0/,
    );
  });
});
