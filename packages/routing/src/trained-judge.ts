import { create } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import { type QualityScore, type ScoreRequest, QualityScoreSchema } from "@weir/proto";
import type { RoutingArtifact } from "./artifact.js";
import { lastUserTurn } from "./query-text.js";
import { RoutingModel } from "./routing-model.js";

/** The scorer name the trained QE writes into every score. */
export const TRAINED_SCORER = "trained-qe-v1";

/**
 * The trained quality estimator: P(answer acceptable | prompt, response,
 * tier) from the artifact's logistic model over qeFeatures, calibrated by
 * isotonic regression, compared with the plan's threshold. An answer cut off
 * at max_tokens (finish_reason "length") is never accepted on a judged rung:
 * the training data has no truncated answers to learn that from.
 */
export class TrainedJudge {
  readonly model: RoutingModel;

  constructor(artifact: RoutingArtifact | RoutingModel) {
    this.model = artifact instanceof RoutingModel ? artifact : new RoutingModel(artifact);
  }

  async score(req: Pick<ScoreRequest, "tier" | "prompt" | "response" | "threshold" | "finishReason">): Promise<QualityScore> {
    checkThreshold(req.threshold);
    const query = lastUserTurn(req.prompt);
    const cluster = await this.model.clusterOf(query);
    return this.#verdict(req, query, cluster);
  }

  /** Synchronous scoring with the built-in embedder (the benchmark's path). */
  scoreSync(req: Pick<ScoreRequest, "tier" | "prompt" | "response" | "threshold" | "finishReason">): QualityScore {
    checkThreshold(req.threshold);
    const query = lastUserTurn(req.prompt);
    const cluster = this.model.clusterOfSync(query);
    if (cluster === undefined) throw new Error("scoreSync needs an embedder that runs in process");
    return this.#verdict(req, query, cluster);
  }

  #verdict(req: Pick<ScoreRequest, "tier" | "response" | "threshold" | "finishReason">, query: string, cluster: number): QualityScore {
    if (!this.model.hasTier(req.tier)) {
      throw WeirError.invalidArgument(
        `tier "${req.tier}" is not in the QE artifact (trained for ${this.model.tierNames().map((t) => `"${t}"`).join(", ")}): retrain with that tier or use judge.scorer placeholder`,
        "tier",
      );
    }
    const est = this.model.estimate(query, req.response, req.tier, cluster);
    const truncated = req.finishReason === "length";
    const accept = !truncated && est.probability >= req.threshold;
    const c = this.model.cluster(cluster);
    const cmp = est.probability >= req.threshold ? "≥" : "<";
    const verdict = truncated
      ? `trained QE ${f2(est.probability)} but the answer was cut off (finish_reason "length"): rejected`
      : `trained QE ${f2(est.probability)} ${cmp} threshold ${f2(req.threshold)}: ${accept ? "accepted" : "rejected"}`;
    const basis = c.answerText
      ? `cluster ${cluster} (${c.label}), ${req.tier} prior ${f2(est.prior)}`
      : `cluster ${cluster} (${c.label}), ${req.tier} prior ${f2(est.prior)}; trained without answer text, so the answer itself is not read`;
    return create(QualityScoreSchema, {
      score: est.probability,
      accept,
      threshold: req.threshold,
      scorer: TRAINED_SCORER,
      reason: `${verdict} (${basis})`,
    });
  }
}

function checkThreshold(t: number): void {
  if (!(Number.isFinite(t) && t >= 0 && t <= 1)) {
    throw WeirError.invalidArgument(`threshold ${t} is not a probability: send a number between 0 and 1`, "threshold");
  }
}

function f2(x: number): string {
  return x.toFixed(2);
}
