import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { type QualityScore, type ScoreRequest, QualityScoreSchema } from "@weir/proto";

export interface PlaceholderJudgeOptions {
  /**
   * A fixed score for every answer (0..1), e.g. 0 to force every non-final rung
   * to escalate or 1 to force every answer to be accepted, in tests and demos.
   * Unset: the heuristic described on PlaceholderJudge.
   */
  readonly placeholderScore?: number | undefined;
}

/** The scorer name the placeholder writes into every score. */
export const PLACEHOLDER_SCORER = "placeholder-v0";

/** Heuristic scores, named so that tests and docs can refer to them. */
export const PlaceholderScores = {
  /** Empty or whitespace-only answer: certainly not acceptable. */
  empty: 0,
  /** Cut off at max_tokens (finish_reason "length"): probably incomplete. */
  truncated: 0.35,
  /** Anything else. */
  complete: 0.85,
} as const;

/**
 * PLACEHOLDER quality judge. It is NOT a quality model: it never reads the
 * prompt and judges the answer only by whether it is empty or truncated, so
 * that the cascade's accept/escalate path can be exercised end to end before
 * the trained QE (routing issue) exists. The reason it gives says so.
 */
export class PlaceholderJudge {
  readonly #fixed: number | undefined;

  constructor(options: PlaceholderJudgeOptions = {}) {
    const fixed = options.placeholderScore;
    if (fixed !== undefined && !isProbability(fixed)) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        `judge.placeholderScore is ${fixed}: use a number between 0 and 1, or leave it unset`,
        { field: "judge.placeholderScore" },
      );
    }
    this.#fixed = fixed;
  }

  score(req: Pick<ScoreRequest, "threshold" | "response" | "finishReason">): QualityScore {
    if (!isProbability(req.threshold)) {
      throw WeirError.invalidArgument(
        `threshold ${req.threshold} is not a probability: send a number between 0 and 1`,
        "threshold",
      );
    }
    const { score, basis } = this.#placeholderScore(req);
    const accept = score >= req.threshold;
    const verdict = accept
      ? `placeholder score ${fmt(score)} ≥ threshold ${fmt(req.threshold)}: accepted`
      : `placeholder score ${fmt(score)} < threshold ${fmt(req.threshold)}: rejected`;
    return create(QualityScoreSchema, {
      score,
      accept,
      threshold: req.threshold,
      scorer: PLACEHOLDER_SCORER,
      reason: `${verdict} (${basis}; not a quality model)`,
    });
  }

  #placeholderScore(req: Pick<ScoreRequest, "response" | "finishReason">): { score: number; basis: string } {
    if (this.#fixed !== undefined) return { score: this.#fixed, basis: "fixed by judge.placeholderScore" };
    if (req.response.trim() === "") return { score: PlaceholderScores.empty, basis: "empty response" };
    if (req.finishReason === "length") {
      return { score: PlaceholderScores.truncated, basis: 'truncated response (finish_reason "length")' };
    }
    return { score: PlaceholderScores.complete, basis: "non-empty, complete response" };
  }
}

function isProbability(x: number): boolean {
  return Number.isFinite(x) && x >= 0 && x <= 1;
}

function fmt(x: number): string {
  return x.toFixed(2);
}
