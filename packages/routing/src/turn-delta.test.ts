import { describe, expect, it } from "vitest";
import { matchRepeat, normaliseQuestion } from "./turn-delta.js";

describe("turn delta: near-identity of questions", () => {
  it("normalises case, whitespace, punctuation and contractions, keeping numbers whole", () => {
    expect(normaliseQuestion("  Don't   SELL 1,000.5 shares?! ")).toEqual(["do", "n't", "sell", "1,000.5", "shares"]);
  });

  it.each([
    ["What is the capital of France?", "what is the capital of france"],
    ["What is the capital of France?", "  What is the capital of   France ??"],
    ["What is the capital of France?", "Please, what is the capital of France again?"],
  ])("reuses %j for %j", (earlier, again) => {
    expect(matchRepeat(again, earlier)).toBeDefined();
  });

  it("similarity is 1 for identical normalised text, less when only filler differs", () => {
    expect(matchRepeat("What is 2+2?", "what is 2 + 2")?.similarity).toBe(1);
    expect(matchRepeat("please what is 2+2 again", "what is 2+2")?.similarity).toBeLessThan(1);
  });

  // Near-miss twins: same words, but a different question. Reuse must never fire.
  it.each([
    ["same words, different numbers", "What is 12 times 7?", "What is 12 times 8?"],
    ["a decimal changed", "Is 3.5 mg safe?", "Is 3.7 mg safe?"],
    ["negation added (not)", "Is it safe to mix these?", "Is it not safe to mix these?"],
    ["negation added (n't)", "Should I sell?", "Shouldn't I sell?"],
    ["negation added (never)", "Do prime numbers end in 5?", "Do prime numbers never end in 5?"],
    ["negation added (no)", "Are there primes between 24 and 28?", "Are there no primes between 24 and 28?"],
    ["a new clause", "What is the capital of France?", "What is the capital of France and of Germany?"],
    ["a clause dropped", "What is the capital of France and of Germany?", "What is the capital of France?"],
    ["same words, other order", "Does the dog chase the cat?", "Does the cat chase the dog?"],
    ["a different question word", "Who wrote Hamlet?", "When was Hamlet written?"],
  ])("%s: %j then %j is generated", (_what, earlier, again) => {
    expect(matchRepeat(again, earlier)).toBeUndefined();
  });

  it("a bare follow-up with no content words is never a repeat", () => {
    expect(matchRepeat("again?", "again?")).toBeUndefined();
  });
});
