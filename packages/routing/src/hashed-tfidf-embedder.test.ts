import { describe, expect, it } from "vitest";
import { DEFAULT_HASHED_TFIDF, HashedTfidfEmbedder } from "./hashed-tfidf-embedder.js";
import { MATH, TRIVIA } from "./test-support/tiny-artifact.js";
import { cosine } from "./vector.js";

const corpus = [...MATH, ...TRIVIA, "The mitochondria is the powerhouse of the cell.", "Sarah buys 3 pens at $2 each."];

describe("HashedTfidfEmbedder", () => {
  it("is deterministic: same text, same vector; a rebuilt embedder agrees", () => {
    const a = HashedTfidfEmbedder.fit(corpus);
    const b = HashedTfidfEmbedder.fromSpec(JSON.parse(JSON.stringify(a.spec)));
    const t = "How many apples does Tom have?";
    expect(Array.from(a.embedSync(t))).toEqual(Array.from(a.embedSync(t)));
    expect(Array.from(b.embedSync(t))).toEqual(Array.from(a.embedSync(t)));
    expect(HashedTfidfEmbedder.fit(corpus).spec.idf).toBe(a.spec.idf);
  });

  it("returns unit vectors of the configured size (zero for text without words)", () => {
    const e = HashedTfidfEmbedder.fit(corpus);
    const v = e.embedSync("Which lobe holds the motor cortex?");
    expect(v.length).toBe(DEFAULT_HASHED_TFIDF.dims);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Math.hypot(...e.embedSync("?!"))).toBe(0);
  });

  it("puts similar questions closer than unrelated ones", () => {
    const e = HashedTfidfEmbedder.fit(corpus);
    const math1 = e.embedSync("Anna runs 5 laps 2 times a week. How many laps does she run a week?");
    const math2 = e.embedSync("Ben runs 4 sprints 3 times a week. How many meters does he run a week?");
    const anatomy = e.embedSync("Which of the following best describes the kidney?\nA. organ\nB. bone\nAnswer:");
    expect(cosine(math1, math2)).toBeGreaterThan(cosine(math1, anatomy) + 0.2);
  });

  it("refuses inconsistent settings with a sentence", () => {
    expect(() => HashedTfidfEmbedder.fit(corpus, { ...DEFAULT_HASHED_TFIDF, dims: 1 })).toThrow(/dims 1 is not a whole number from 2 to 4096/);
    const spec = HashedTfidfEmbedder.fit(corpus).spec;
    expect(() => HashedTfidfEmbedder.fromSpec({ ...spec, bucketBits: 12 })).toThrow(/idf table has 16384 entries but bucketBits 12 needs 4096/);
  });
});
