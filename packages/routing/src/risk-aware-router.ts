import { create } from "@bufbuild/protobuf";
import {
  type PlanRequest,
  type PlanStep,
  PlanStepSchema,
  RiskAssessmentSchema,
  type RoutePlan,
  TurnReuseSchema,
} from "@weir/proto";
import type { ConversationView } from "./conversation-view.js";
import { rememberedEscalation } from "./escalation-memory.js";
import { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";
import { queryText } from "./query-text.js";
import { RiskAssessor } from "./risk-assessor.js";
import { DEFAULT_RISK_CATEGORIES, type RiskCategory } from "./risk-lexicon.js";
import { findReusableTurn } from "./turn-reuse.js";

/** Any router: the static ladder, the learned one, or another decorator. */
export interface Planner {
  plan(req: PlanRequest): RoutePlan | Promise<RoutePlan>;
}

export interface RiskAwareRouterOptions {
  /** Configured tiers, cheapest first: the last is the strongest. */
  readonly tiers: readonly Pick<LadderTier, "name">[];
  readonly risk: {
    readonly enabled: boolean;
    readonly categories?: readonly RiskCategory[] | undefined;
    readonly threshold: number;
    readonly action: "strongest-tier" | "stricter-threshold";
    readonly strictThreshold: number;
    readonly decay: number;
  };
  readonly turnReuse: { readonly enabled: boolean };
  readonly escalationMemory: { readonly turns: number; readonly riskBelow: number };
}

/**
 * The router-side SERR-CASCADE layers around any router (docs/notes/router-layers.md):
 *  - L0 turn delta: a repeat of a question answered earlier in the
 *    conversation, with nothing new in between, gets a plan with `reuse` set
 *    and no steps; the cascade answers with the stored text.
 *  - L2 risk: a turn whose weighted risk (carried risk included) reaches
 *    the threshold gets only the strongest tier, or a stricter QE threshold
 *    on every judged rung.
 *  - Escalation memory: later turns of a conversation that escalated start
 *    at the tier it escalated to.
 * Only "weir-auto" requests are changed; a pinned tier is the client's
 * choice, so its plan only reports the risk.
 */
export class RiskAwareRouter implements Planner {
  readonly #inner: Planner;
  readonly #opts: RiskAwareRouterOptions;
  readonly #assessor: RiskAssessor;
  readonly #order: Map<string, number>;
  readonly #strongest: string;

  constructor(inner: Planner, opts: RiskAwareRouterOptions) {
    this.#inner = inner;
    this.#opts = opts;
    this.#assessor = new RiskAssessor({
      categories: opts.risk.enabled ? (opts.risk.categories ?? DEFAULT_RISK_CATEGORIES) : [],
      decay: opts.risk.decay,
    });
    this.#order = new Map(opts.tiers.map((t, i) => [t.name, i]));
    this.#strongest = opts.tiers[opts.tiers.length - 1]?.name ?? "";
  }

  async plan(req: PlanRequest, conversation?: ConversationView): Promise<RoutePlan> {
    const plan = await this.#inner.plan(req);
    const turns = conversation?.turns ?? [];
    const question = queryText(req.messages, req.prompt);
    const risk = this.#assessor.assess(question, turns);
    const risky = this.#opts.risk.enabled && risk.score >= this.#opts.risk.threshold;
    plan.risk = create(RiskAssessmentSchema, { score: risk.score, rules: risk.rules, carried: risk.carried, overridden: false });
    if (req.model !== AUTO_MODEL || plan.steps.length === 0) return plan;

    const reuse = this.#opts.turnReuse.enabled && addsNoContext(req) ? findReusableTurn(question, turns) : undefined;
    // A risky turn reuses only an answer the strongest tier gave.
    if (reuse !== undefined && (!risky || reuse.turn.tier === this.#strongest)) {
      plan.steps = [];
      plan.reuse = create(TurnReuseSchema, {
        text: reuse.turn.answer,
        sourceRequestId: reuse.sourceRequestId,
        similarity: reuse.similarity,
        tier: reuse.turn.tier,
      });
      plan.reason = `turn reuse: repeats request ${reuse.sourceRequestId} (similarity ${reuse.similarity.toFixed(2)}), answered by ${reuse.turn.tier} without generation`;
      return plan;
    }

    if (risky) {
      plan.risk.overridden = true;
      plan.reason += `; ${this.#override(plan, risk.score, risk.rules, risk.carried > risk.own)}`;
      return plan;
    }

    const memory = rememberedEscalation(turns, risk.score, {
      ...this.#opts.escalationMemory,
      riskThreshold: this.#opts.risk.threshold,
    });
    if (memory !== undefined) {
      const start = this.#order.get(memory.tier) ?? -1;
      const from = plan.steps.findIndex((s) => (this.#order.get(s.tier) ?? -1) >= start);
      const kept = from < 0 ? plan.steps.slice(-1) : plan.steps.slice(from);
      if (kept.length < plan.steps.length) {
        plan.steps = kept;
        plan.reason += `; escalation memory: request ${memory.requestId} escalated to ${memory.tier} ${memory.turnsAgo} turn(s) ago, starting at ${kept[0]!.tier}`;
      }
    }
    return plan;
  }

  /** Applies router.risk.action and says what it did. */
  #override(plan: RoutePlan, score: number, rules: readonly string[], carried: boolean): string {
    const why = `risk ${score.toFixed(2)} ≥ ${this.#opts.risk.threshold} (rule ${rules.join(", ") || "unknown"}${carried ? ", carried from an earlier turn" : ""})`;
    if (this.#opts.risk.action === "strongest-tier") {
      plan.steps = [finalStep(this.#strongest)];
      return `${why}: strongest tier ${this.#strongest} only`;
    }
    const t = this.#opts.risk.strictThreshold;
    const last = plan.steps.length - 1;
    plan.steps.forEach((s, i) => {
      if (i < last) s.qeThreshold = Math.max(s.qeThreshold, t);
    });
    return `${why}: QE threshold raised to ${t}`;
  }
}

function finalStep(tier: string): PlanStep {
  return create(PlanStepSchema, { tier, qeThreshold: 0 });
}

/**
 * Only the question is new: after the last assistant message there is one
 * user message and nothing else (no new system instruction or tool output
 * that could change the answer).
 */
function addsNoContext(req: PlanRequest): boolean {
  if (req.messages.length === 0) return req.prompt !== "";
  let lastAssistant = -1;
  req.messages.forEach((m, i) => {
    if (m.role === "assistant") lastAssistant = i;
  });
  const after = req.messages.slice(lastAssistant + 1);
  return after.length === 1 && after[0]!.role === "user";
}
