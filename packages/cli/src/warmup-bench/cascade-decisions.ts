// What the cascade decides for each request, computed by the serving code on
// the recorded data: the learned router's plan (start tier, and whether it
// marks the next rung for warm-up: a prediction made before any answer
// exists) and the trained QE judge's verdict on the small model's recorded
// answer (accept, or escalate). Nothing here looks at correctness labels.

import { LearnedRouter, RoutingModel, TrainedJudge, queryText, type RoutingArtifact } from "@weir/routing";
import { flattenMessages } from "@weir/tokens";
import type { WorkloadRow } from "./gsm8k-workload.js";

export interface CascadeDecision {
  /** The plan starts on the large tier: nothing to escalate, nothing to warm. */
  startsOnLarge: boolean;
  /** The judge rejects the small tier's answer (only when the plan starts small). */
  escalates: boolean;
  /** The router's predicted probability that the small tier's answer is accepted. */
  predictedAcceptance: number;
}

/** The artifact's two tiers, cheapest first; the benchmark models a two-rung cascade. */
export function twoTiers(artifact: RoutingArtifact): { small: string; large: string; smallModel: string; largeModel: string } {
  if (artifact.tiers.length !== 2) {
    throw new Error(`the warm-up benchmark needs an artifact with two tiers; this one has ${artifact.tiers.map((t) => t.name).join(", ")}`);
  }
  const [small, large] = artifact.tiers as [RoutingArtifact["tiers"][0], RoutingArtifact["tiers"][0]];
  return { small: small.name, large: large.name, smallModel: small.model, largeModel: large.model };
}

/** Plans and judges every row once; which rows get a warm-up depends only on the threshold (warmsUp). */
export function decideCascade(artifact: RoutingArtifact, rows: readonly WorkloadRow[]): CascadeDecision[] {
  const model = new RoutingModel(artifact);
  const { small } = twoTiers(artifact);
  const router = routerFor(model, 0);
  const judge = new TrainedJudge(model);
  return rows.map((row) => {
    const plan = router.planSync({ model: "weir-auto", messages: row.messages, prompt: "" });
    const first = plan.steps[0]!;
    const startsOnLarge = first.tier !== small;
    const cluster = model.clusterOfSync(queryText(row.messages, ""))!;
    const escalates =
      !startsOnLarge &&
      !judge.scoreSync({ tier: small, prompt: flattenMessages(row.messages), response: row.smallAnswer, threshold: first.qeThreshold, finishReason: "stop" })
        .accept;
    return { startsOnLarge, escalates, predictedAcceptance: router.predictedAcceptance(cluster, small) };
  });
}

/**
 * Whether the router marks the request's second rung warm_up at this
 * threshold (router.warmUp.acceptBelow), asked of the router itself.
 */
export function warmsUp(artifact: RoutingArtifact | RoutingModel, rows: readonly WorkloadRow[], acceptBelow: number): boolean[] {
  const router = routerFor(artifact instanceof RoutingModel ? artifact : new RoutingModel(artifact), acceptBelow);
  return rows.map((row) => router.planSync({ model: "weir-auto", messages: row.messages, prompt: "" }).steps[1]?.warmUp === true);
}

function routerFor(model: RoutingModel, warmUpBelow: number): LearnedRouter {
  return new LearnedRouter({ tiers: model.tierNames().map((name) => ({ name, qeThreshold: 0 })), artifact: model, warmUpBelow });
}
