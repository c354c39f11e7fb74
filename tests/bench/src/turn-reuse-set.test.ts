import { describe, expect, it } from "vitest";
import { NEAR_MISS_EDITS, NEAR_REPEAT_EDITS, buildTurnReuseSet, seededRandom, type SourceQuestion } from "./turn-reuse-set.js";

const pool: SourceQuestion[] = Array.from({ length: 50 }, (_, i) => ({
  prompt: `Tom has ${i + 3} apples and buys 4 more. How many apples does he have in total?`,
  answer: `#### ${i + 7}`,
  tier: "small",
  escalated: false,
}));
const set = buildTurnReuseSet(pool, { conversations: 300, seed: 1 });
const turns = set.flatMap((c) => c.turns);

describe("buildTurnReuseSet", () => {
  it("is reproducible from its seed", () => {
    expect(buildTurnReuseSet(pool, { conversations: 300, seed: 1 })).toEqual(set);
    expect(buildTurnReuseSet(pool, { conversations: 300, seed: 2 })).not.toEqual(set);
  });

  it("makes conversations of 3 to 6 turns that start with a new question, and uses every category", () => {
    for (const c of set) {
      expect(c.turns.length).toBeGreaterThanOrEqual(3);
      expect(c.turns.length).toBeLessThanOrEqual(6);
      expect(c.turns[0]!.category).toBe("new");
    }
    expect(new Set(turns.map((t) => t.category))).toEqual(new Set(["new", "exact-repeat", "near-repeat", "near-miss", "stale-repeat"]));
  });

  it("labels only exact and near repeats as reusable", () => {
    for (const t of turns) expect(t.reuseCorrect).toBe(t.category === "exact-repeat" || t.category === "near-repeat");
  });

  it("points repeats and twins at the newest question that should have been generated", () => {
    for (const c of set) {
      let target = "";
      const generated: string[] = [];
      for (const t of c.turns) {
        if (t.category === "exact-repeat") expect(t.question).toBe(target);
        if (t.category === "near-miss" || t.category === "near-repeat") expect(t.question).not.toBe(target);
        if (t.category === "stale-repeat") {
          expect(t.question).not.toBe(target);
          expect(generated).toContain(t.question);
        }
        if (!t.reuseCorrect) {
          target = t.question;
          generated.push(t.question);
        }
      }
    }
  });
});

describe("the edits", () => {
  const q = "Tom has 1,000 apples. Is it true he sold 3.5 of them?";
  const rng = seededRandom(3);

  it("near repeats keep every number and negation as written", () => {
    for (const edit of Object.values(NEAR_REPEAT_EDITS)) {
      const out = edit(q, rng);
      expect(out).toContain("1,000");
      expect(out).toContain("3.5");
    }
  });

  it("near misses change a number, add a negation, swap a word or add a clause", () => {
    expect(NEAR_MISS_EDITS["number"]!(q, rng)).toBe("Tom has 2,000 apples. Is it true he sold 3.5 of them?");
    expect(NEAR_MISS_EDITS["negation"]!(q, rng)).toBe("Tom has not 1,000 apples. Is it true he sold 3.5 of them?");
    expect(NEAR_MISS_EDITS["word"]!(q, rng)).toBe("Tom has 1,000 apples. Is it false he sold 3.5 of them?");
    expect(NEAR_MISS_EDITS["clause"]!(q, rng)!.startsWith(q)).toBe(true);
    expect(NEAR_MISS_EDITS["number"]!("No digits here", rng)).toBeUndefined();
  });
});
