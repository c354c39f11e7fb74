import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { ScoreRequestSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_SCORER, PlaceholderJudge, PlaceholderScores } from "./index.js";

function request(response: string, finishReason: string, threshold = 0.7) {
  return create(ScoreRequestSchema, { tier: "small", prompt: "q", response, finishReason, threshold });
}

describe("PlaceholderJudge (placeholder, not a quality model)", () => {
  it("accepts a complete answer at 0.85 and says why", () => {
    const s = new PlaceholderJudge().score(request(" the answer", "stop"));
    expect(s.score).toBe(PlaceholderScores.complete);
    expect(s.accept).toBe(true);
    expect(s.threshold).toBe(0.7);
    expect(s.scorer).toBe(PLACEHOLDER_SCORER);
    expect(s.reason).toMatch(/^placeholder score 0\.85 ≥ threshold 0\.70: accepted/);
    expect(s.reason).toContain("not a quality model");
  });

  it("scores a truncated answer 0.35 and rejects it below the threshold", () => {
    const s = new PlaceholderJudge().score(request(" cut off", "length"));
    expect(s.score).toBe(0.35);
    expect(s.accept).toBe(false);
    expect(s.reason).toMatch(/^placeholder score 0\.35 < threshold 0\.70: rejected/);
    expect(s.reason).toContain("truncated");
  });

  it("scores an empty or whitespace-only answer 0", () => {
    const judge = new PlaceholderJudge();
    expect(judge.score(request("", "stop")).score).toBe(0);
    expect(judge.score(request("  \n", "stop")).accept).toBe(false);
  });

  it("accepts anything at threshold 0 (the final rung)", () => {
    expect(new PlaceholderJudge().score(request("", "stop", 0)).accept).toBe(true);
  });

  it("uses a fixed placeholderScore to force accept or reject", () => {
    const reject = new PlaceholderJudge({ placeholderScore: 0 }).score(request(" fine", "stop"));
    expect(reject.score).toBe(0);
    expect(reject.accept).toBe(false);
    expect(reject.reason).toContain("fixed by judge.placeholderScore");
    const accept = new PlaceholderJudge({ placeholderScore: 1 }).score(request("", "length", 0.99));
    expect(accept.accept).toBe(true);
  });

  it("takes a config's judge section as it is", () => {
    const judgeConfig: { scorer: "placeholder"; placeholderScore?: number } = { scorer: "placeholder" };
    expect(new PlaceholderJudge(judgeConfig).score(request(" ok", "stop")).score).toBe(0.85);
  });

  it("rejects a threshold outside [0, 1] with INVALID_ARGUMENT", () => {
    const judge = new PlaceholderJudge();
    for (const threshold of [-0.1, 1.01, Number.NaN]) {
      let err: unknown;
      try {
        judge.score(request(" x", "stop", threshold));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WeirError);
      expect((err as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((err as WeirError).field).toBe("threshold");
    }
  });

  it("refuses a placeholderScore outside [0, 1] at construction", () => {
    expect(() => new PlaceholderJudge({ placeholderScore: 2 })).toThrow(/between 0 and 1/);
  });
});
