import { flattenMessages } from "@weir/tokens";
import { describe, expect, it } from "vitest";
import { MATH, TRIVIA, tinyArtifact } from "./test-support/tiny-artifact.js";
import { TRAINED_SCORER, TrainedJudge } from "./trained-judge.js";

const prompt = (q: string): string => flattenMessages([{ role: "user", content: q }]);

describe("TrainedJudge (trained-qe-v1)", () => {
  const judge = new TrainedJudge(tinyArtifact());

  it("accepts a clean worked answer and rejects one with wrong arithmetic", async () => {
    const good = await judge.score({ tier: "small", prompt: prompt(MATH[0]!), response: "3 x 60 = 180 meters.\n180 x 3 = 540\n#### 540", threshold: 0.5, finishReason: "stop" });
    expect(good.scorer).toBe(TRAINED_SCORER);
    expect(good.accept).toBe(true);
    expect(good.reason).toMatch(/^trained QE 0\.\d\d ≥ threshold 0\.50: accepted \(cluster 0 \(gsm8k\), small prior 0\.71\)$/);
    const bad = await judge.score({ tier: "small", prompt: prompt(MATH[0]!), response: "3 x 60 = 190 meters.\n190 x 3 = 570\n#### 570", threshold: 0.5, finishReason: "stop" });
    expect(bad.accept).toBe(false);
    expect(bad.score).toBeLessThan(good.score);
  });

  it("does not read answers in clusters trained without answer text, and says so", () => {
    const a = judge.scoreSync({ tier: "small", prompt: prompt(TRIVIA[0]!), response: "A", threshold: 0.3, finishReason: "stop" });
    const b = judge.scoreSync({ tier: "small", prompt: prompt(TRIVIA[0]!), response: "3 x 60 = 190", threshold: 0.3, finishReason: "stop" });
    expect(a.score).toBe(b.score);
    expect(a.reason).toContain("trained without answer text");
  });

  it("never accepts a truncated answer on a judged rung", () => {
    const s = judge.scoreSync({ tier: "small", prompt: prompt(MATH[0]!), response: "3 x 60 = 180\n#### 180", threshold: 0.1, finishReason: "length" });
    expect(s.accept).toBe(false);
    expect(s.reason).toContain("cut off");
  });

  it("rejects a tier the artifact does not know and a threshold outside [0, 1]", () => {
    expect(() => judge.scoreSync({ tier: "huge", prompt: "q", response: "a", threshold: 0.5, finishReason: "stop" })).toThrow(/tier "huge" is not in the QE artifact/);
    expect(() => judge.scoreSync({ tier: "small", prompt: "q", response: "a", threshold: 2, finishReason: "stop" })).toThrow(/not a probability/);
  });
});
