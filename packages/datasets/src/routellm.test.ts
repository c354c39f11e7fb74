import { describe, expect, it } from "vitest";
import { loadGsm8k, loadMmlu, mmluSubjects } from "./routellm.js";

const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const GPT4 = "gpt-4-1106-preview";

describe("loadGsm8k", () => {
  const ds = loadGsm8k();

  it("has 990 problems with both models' labels and answers", () => {
    expect(ds.name).toBe("gsm8k");
    expect(ds.models).toEqual([MIXTRAL, GPT4]);
    expect(ds.rows).toHaveLength(990);
    expect(new Set(ds.rows.map((r) => r.id)).size).toBe(990);
    for (const row of ds.rows) {
      expect(row.source).toBe("gsm8k");
      expect(typeof row.response[MIXTRAL]).toBe("string");
      expect(typeof row.response[GPT4]).toBe("string");
    }
  });

  it("reads multi-line quoted answers whole", () => {
    const first = ds.rows[0];
    expect(first?.prompt).toBe(
      "James decides to run 3 sprints 3 times a week.  He runs 60 meters each sprint.  How many total meters does he run a week?",
    );
    expect(first?.correct).toEqual({ [MIXTRAL]: true, [GPT4]: true });
    expect(first?.response[GPT4]).toMatch(/^James runs 3 sprints each time[\s\S]*\n\n#### 540$/);
  });

  it("has the recorded accuracies (Mixtral 640, GPT-4 841, either 914 of 990)", () => {
    const count = (pred: (c: Record<string, boolean>) => boolean): number => ds.rows.filter((r) => pred(r.correct)).length;
    expect(count((c) => c[MIXTRAL] === true)).toBe(640);
    expect(count((c) => c[GPT4] === true)).toBe(841);
    expect(count((c) => c[MIXTRAL] === true || c[GPT4] === true)).toBe(914);
  });
});

describe("loadMmlu", () => {
  it("lists the 57 subjects", () => {
    const subjects = mmluSubjects();
    expect(subjects).toHaveLength(57);
    expect(subjects).toContain("anatomy");
    expect(subjects).toEqual([...subjects].sort());
  });

  it("loads one subject, labels only, with the subject as source", () => {
    const ds = loadMmlu(["anatomy"]);
    expect(ds.name).toBe("mmlu");
    expect(ds.models).toEqual([MIXTRAL, GPT4]);
    expect(ds.rows).toHaveLength(108);
    expect(ds.rows[0]?.prompt).toMatch(/^A lesion causing compression of the facial nerve[\s\S]*\nAnswer:$/);
    for (const row of ds.rows) {
      expect(row.source).toBe("anatomy");
      expect(row.response).toEqual({ [MIXTRAL]: undefined, [GPT4]: undefined });
    }
  });

  it("loads all 11,250 questions by default", () => {
    const ds = loadMmlu();
    expect(ds.rows).toHaveLength(11_250);
    expect(new Set(ds.rows.map((r) => r.source)).size).toBe(57);
    // 68 questions appear twice (some in two subjects): they share an id.
    expect(new Set(ds.rows.map((r) => r.id)).size).toBe(11_182);
  });

  it("refuses an unknown subject", () => {
    expect(() => loadMmlu(["astrology"])).toThrow(/unknown MMLU subject "astrology"/);
  });
});
