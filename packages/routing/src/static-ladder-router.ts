import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { type PlanRequest, type PlanStep, type RoutePlan, PlanStepSchema, RoutePlanSchema } from "@weir/proto";
import { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";

export interface StaticLadderRouterOptions {
  /** Configured tiers, cheapest first: this order is the ladder. */
  readonly tiers: readonly LadderTier[];
}

/** The policy name the static router writes into every plan it makes. */
export const STATIC_LADDER_POLICY = "static-ladder";

/**
 * PLACEHOLDER router: every "weir-auto" request gets the same ladder, every
 * configured tier in order, cheapest first, with the thresholds from the
 * configuration. It looks at nothing in the request but the model name. The
 * routing issue replaces it with a learned router (clusters, budget knob,
 * risk overrides); the plan it returns has the shape that router will keep.
 */
export class StaticLadderRouter {
  readonly #tiers: readonly LadderTier[];

  constructor(options: StaticLadderRouterOptions) {
    // Copy, so that later changes to the caller's config cannot change plans
    // half-way through a run.
    this.#tiers = options.tiers.map((t) => ({ name: t.name, qeThreshold: t.qeThreshold }));
    validateTiers(this.#tiers);
  }

  /** The model names this router accepts: "weir-auto", then every tier name. */
  models(): string[] {
    return [AUTO_MODEL, ...this.#tiers.map((t) => t.name)];
  }

  plan(req: Pick<PlanRequest, "model">): RoutePlan {
    // An empty ladder is reported per request rather than at construction, so
    // that a router started on an empty config can still answer why it cannot plan.
    if (this.#tiers.length === 0) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        "no model tiers are configured: add at least one tier under `tiers` in weir.yaml",
        { field: "tiers" },
      );
    }
    if (req.model === AUTO_MODEL) return this.#ladder();
    const pinned = this.#tiers.find((t) => t.name === req.model);
    if (pinned !== undefined) {
      return create(RoutePlanSchema, {
        steps: [finalStep(pinned.name)],
        reason: `model names tier "${pinned.name}": routing bypassed`,
        policy: STATIC_LADDER_POLICY,
      });
    }
    const valid = this.models()
      .map((m) => `"${m}"`)
      .join(", ");
    const asked = req.model === "" ? "no model was given" : `model "${req.model}" is not served here`;
    throw WeirError.notFound(`${asked}: use one of ${valid}`, "model");
  }

  #ladder(): RoutePlan {
    const last = this.#tiers.length - 1;
    const steps: PlanStep[] = this.#tiers.map((t, i) =>
      // The last rung always accepts: there is nowhere left to escalate to.
      i === last ? finalStep(t.name) : create(PlanStepSchema, { tier: t.name, qeThreshold: t.qeThreshold }),
    );
    return create(RoutePlanSchema, {
      steps,
      reason: `static ladder from weir.yaml: ${this.#tiers.map((t) => t.name).join(" → ")}`,
      policy: STATIC_LADDER_POLICY,
    });
  }
}

function finalStep(tier: string): PlanStep {
  return create(PlanStepSchema, { tier, qeThreshold: 0 });
}

/** Configuration mistakes fail at construction: a service must not start on them. */
function validateTiers(tiers: readonly LadderTier[]): void {
  const seen = new Set<string>();
  for (const [i, t] of tiers.entries()) {
    if (t.name === "" || t.name === AUTO_MODEL) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        `tier ${i} has the name "${t.name}": give every tier a non-empty name other than "${AUTO_MODEL}"`,
        { field: `tiers[${i}].name` },
      );
    }
    if (seen.has(t.name)) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        `tier "${t.name}" is configured twice: tier names must be unique`,
        { field: `tiers[${i}].name` },
      );
    }
    seen.add(t.name);
    if (!(Number.isFinite(t.qeThreshold) && t.qeThreshold >= 0 && t.qeThreshold <= 1)) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        `tier "${t.name}" has qeThreshold ${t.qeThreshold}: use a number between 0 and 1`,
        { field: `tiers[${i}].qeThreshold` },
      );
    }
  }
}
