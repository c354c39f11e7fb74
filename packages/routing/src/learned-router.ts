import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { type RoutePlan, PlanStepSchema, RoutePlanSchema } from "@weir/proto";
import type { ChatTurn } from "@weir/tokens";
import type { RoutingArtifact } from "./artifact.js";
import { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";
import { queryText } from "./query-text.js";
import { RoutingModel } from "./routing-model.js";
import { learnedLadderCandidates } from "./learned-ladder-candidates.js";
import { fitTargets, targetsOf, type RequestTargets } from "./plan-targets.js";
import type { ThresholdOverrides } from "./threshold-key.js";
import { type DeploymentKnob, type KnobSource, fmtShift, shiftedThreshold } from "./deployment-knob.js";

/** The policy name the learned router writes into every plan. */
export const LEARNED_POLICY = "learned-clusters";

/** What the router reads of a PlanRequest (structural, so tests and benchmarks need no protobuf). */
export interface PlanInput {
  readonly model: string;
  readonly messages: readonly ChatTurn[];
  readonly prompt: string;
  /** Per-request targets (plan-targets.ts) and the prompt size their cost estimates need. */
  readonly minQuality?: number | undefined;
  readonly maxCostUsd?: number | undefined;
  readonly promptTokens?: number | undefined;
}

export interface LearnedRouterOptions {
  /** Configured tiers (weir.yaml): every tier of the artifact must be one of them. */
  readonly tiers: readonly LadderTier[];
  readonly artifact: RoutingArtifact | RoutingModel;
  /** router.budget: overrides the artifact's β. */
  readonly budget?: number | undefined;
  /**
   * router.warmUp.acceptBelow: mark rung i+1 for escalation warm-up
   * (PlanStep.warm_up) when the predicted probability that rung i's answer
   * is accepted is below this. 0 (the default) never warms, 1 always does.
   */
  readonly warmUpBelow?: number | undefined;
  /** L4: thresholds recalibrated by shadow verification (KV weir_qe_thresholds); they win over the artifact's. */
  readonly thresholdOverrides?: ThresholdOverrides | undefined;
  /**
   * The deployment plan's cascade knob (deployment-knob.ts), read on every
   * plan: β replaces `budget`, the shift moves every non-final rung's
   * threshold (after the L4 overrides), an only tier serves every weir-auto
   * request alone. No knob (or an empty one) plans exactly as without.
   */
  readonly knob?: KnobSource | undefined;
}

/**
 * The learned router (Cluster, Route, Escalate): embed the request's last
 * user message, find its cluster, start the ladder at the cluster's most
 * cost-effective tier under the budget β, then every stronger tier, with the
 * trained QE thresholds. The reason says which cluster, what each tier scores
 * there and why this start.
 */
export class LearnedRouter {
  readonly model: RoutingModel;
  readonly beta: number;
  readonly warmUpBelow: number;
  readonly #configured: readonly string[];
  readonly #overrides: ThresholdOverrides | undefined;
  readonly #knob: KnobSource | undefined;

  constructor(opts: LearnedRouterOptions) {
    this.#overrides = opts.thresholdOverrides;
    this.#knob = opts.knob;
    this.model = opts.artifact instanceof RoutingModel ? opts.artifact : new RoutingModel(opts.artifact);
    this.#configured = opts.tiers.map((t) => t.name);
    const missing = this.model.tierNames().filter((t) => !this.#configured.includes(t));
    if (missing.length > 0) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        `the routing artifact routes to tier${missing.length > 1 ? "s" : ""} ${missing.map((t) => `"${t}"`).join(", ")} that weir.yaml does not configure (configured: ${this.#configured.map((t) => `"${t}"`).join(", ")}): add the tier or retrain with a matching --tier map`,
        { field: "router.artifacts" },
      );
    }
    const beta = opts.budget ?? this.model.artifact.budget.beta;
    if (!(Number.isFinite(beta) && beta >= 0)) {
      throw new WeirError(ErrorCode.FAILED_PRECONDITION, `router.budget is ${beta}: use a number ≥ 0`, { field: "router.budget" });
    }
    this.beta = beta;
    const below = opts.warmUpBelow ?? 0;
    if (!(Number.isFinite(below) && below >= 0 && below <= 1)) {
      throw new WeirError(ErrorCode.FAILED_PRECONDITION, `router.warmUp.acceptBelow is ${below}: use a probability from 0 to 1`, {
        field: "router.warmUp.acceptBelow",
      });
    }
    this.warmUpBelow = below;
  }

  models(): string[] {
    return [AUTO_MODEL, ...this.#configured];
  }

  async plan(req: PlanInput): Promise<RoutePlan> {
    const pinned = this.#pinned(req.model);
    if (pinned !== undefined) return pinned;
    const targets = targetsOf(req);
    const knob = this.#knob?.current();
    // An only tier needs no cluster unless targets are estimated on it: skip the embedding.
    const only = this.#onlyTier(knob);
    if (only !== undefined && targets === undefined) return this.#onlyTierPlan(only);
    const cluster = await this.model.clusterOf(queryText(req.messages, req.prompt));
    return this.#planForCluster(cluster, targets, knob);
  }

  /** The same plan without a promise, when the embedder is the built-in one (the benchmark's path). */
  planSync(req: PlanInput): RoutePlan {
    const pinned = this.#pinned(req.model);
    if (pinned !== undefined) return pinned;
    const cluster = this.model.clusterOfSync(queryText(req.messages, req.prompt));
    if (cluster === undefined) throw new Error("planSync needs an embedder that runs in process");
    return this.planForCluster(cluster, targetsOf(req));
  }

  /** β in force: the deployment plan's when its knob sets one, else router.budget or the artifact's. */
  effectiveBeta(): number {
    return this.#knob?.current()?.budget ?? this.beta;
  }

  planForCluster(cluster: number, targets?: RequestTargets): RoutePlan {
    return this.#planForCluster(cluster, targets, this.#knob?.current());
  }

  #planForCluster(cluster: number, targets: RequestTargets | undefined, knob: DeploymentKnob | undefined): RoutePlan {
    const only = this.#onlyTier(knob);
    if (only !== undefined) return this.#onlyTierPlan(only, cluster, targets);
    const m = this.model;
    const beta = knob?.budget ?? this.beta;
    const start = m.cluster(cluster).starts[m.startIndex(cluster, beta)]!.tier;
    // Per-request targets may move the start or cut the ladder short (and say why).
    const fit = targets === undefined ? undefined : fitTargets(learnedLadderCandidates(m, cluster, targets.promptTokens), targets, m.ladderFrom(start));
    const ladder = fit === undefined ? m.ladderFrom(start) : [...fit.tiers];
    const last = ladder.length - 1;
    const steps = ladder.map((tier, i) =>
      create(PlanStepSchema, {
        tier,
        qeThreshold: i === last ? 0 : shiftedThreshold(this.#overrides?.threshold(tier, cluster) ?? m.threshold(tier, cluster), knob),
      }),
    );
    const warmed: string[] = [];
    for (let i = 1; i < steps.length; i++) {
      const below = this.predictedAcceptance(cluster, ladder[i - 1]!);
      if (below < this.warmUpBelow) {
        steps[i]!.warmUp = true;
        warmed.push(`warm up ${ladder[i]} (${ladder[i - 1]} accepted ≈ ${f2(below)} < ${f2(this.warmUpBelow)})`);
      }
    }
    const shift = knob?.thresholdShift ?? 0;
    const shifted = shift !== 0 && ladder.length > 1 ? `; deployment plan: QE thresholds shifted ${fmtShift(shift)}` : "";
    const reason = this.#reason(cluster, ladder, beta, knob?.budget !== undefined) + shifted + (warmed.length > 0 ? `; ${warmed.join(", ")}` : "");
    return create(RoutePlanSchema, { steps, reason, policy: LEARNED_POLICY, targetsNote: fit?.note ?? "" });
  }

  /**
   * The predicted probability that `tier`'s answer to a request of `cluster`
   * is accepted, before any answer exists: the tier's (shrunk) accuracy on
   * the cluster, which is what the calibrated QE scores its answers there on
   * average. A proxy: the QE accepts above a threshold, so the accept rate
   * differs from the mean score where scores spread around the threshold.
   */
  predictedAcceptance(cluster: number, tier: string): number {
    return this.model.prior(cluster, tier);
  }

  #pinned(model: string): RoutePlan | undefined {
    if (model === AUTO_MODEL) return undefined;
    if (this.#configured.includes(model)) {
      return create(RoutePlanSchema, {
        steps: [create(PlanStepSchema, { tier: model, qeThreshold: 0 })],
        reason: `model names tier "${model}": routing bypassed`,
        policy: LEARNED_POLICY,
      });
    }
    const valid = this.models()
      .map((x) => `"${x}"`)
      .join(", ");
    const asked = model === "" ? "no model was given" : `model "${model}" is not served here`;
    throw WeirError.notFound(`${asked}: use one of ${valid}`, "model");
  }

  /** The knob's only tier, when it is one this router configures (the service checks; an unknown one is ignored here too). */
  #onlyTier(knob: DeploymentKnob | undefined): string | undefined {
    const t = knob?.onlyTier;
    return t !== undefined && t !== "" && this.#configured.includes(t) ? t : undefined;
  }

  /**
   * Every request on the deployment plan's only tier. Per-request targets
   * are still estimated (when the artifact knows the tier), but only this
   * tier can be chosen: the deployment runs no other.
   */
  #onlyTierPlan(tier: string, cluster?: number, targets?: RequestTargets): RoutePlan {
    let note = "";
    if (targets !== undefined && cluster !== undefined && this.model.hasTier(tier)) {
      const single = learnedLadderCandidates(this.model, cluster, targets.promptTokens).filter((c) => c.tiers.length === 1 && c.tiers[0] === tier);
      note = fitTargets(single, targets, [tier]).note;
    } else if (targets !== undefined) {
      note = `the deployment plan serves every request on ${tier}: targets not estimated`;
    }
    return create(RoutePlanSchema, {
      steps: [create(PlanStepSchema, { tier, qeThreshold: 0 })],
      reason: `deployment plan: ${tier} serves every request`,
      policy: LEARNED_POLICY,
      targetsNote: note,
    });
  }

  #reason(cluster: number, ladder: string[], beta: number, fromKnob: boolean): string {
    const c = this.model.cluster(cluster);
    const accs = c.tiers
      .map((s, i) => {
        const half = (s.hi - s.lo) / 2;
        return i === c.tiers.length - 1 ? `${s.tier} ${f2(s.accuracy)}` : `${s.tier} acc ${f2(s.accuracy)}±${f2(half)}`;
      })
      .join(", ");
    const start = ladder[0]!;
    const escalate =
      ladder.length > 1 ? `, escalate below QE ${f2(this.model.threshold(start, cluster))}` : "";
    return `cluster ${cluster} (${c.label}; ${accs}): β=${fmtBeta(beta)}${fromKnob ? " (deployment plan)" : ""} → start ${start}${escalate}`;
  }
}

function f2(x: number): string {
  return x.toFixed(2);
}

function fmtBeta(b: number): string {
  return Number(b.toPrecision(3)).toString();
}
