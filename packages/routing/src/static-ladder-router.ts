import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { type PlanRequest, type PlanStep, type RoutePlan, PlanStepSchema, RoutePlanSchema } from "@weir/proto";
import { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";
import { targetsOf } from "./plan-targets.js";
import { applyStaticTargets, type TierPricing } from "./static-ladder-targets.js";
import type { ThresholdOverrides } from "./threshold-key.js";
import { type DeploymentKnob, type KnobSource, fmtShift, shiftedThreshold } from "./deployment-knob.js";

/** router.warmUp.staticLadder: whether the static ladder asks for escalation warm-ups. */
export type StaticWarmUp = "never" | "always";

export interface StaticLadderRouterOptions {
  /** Configured tiers, cheapest first: this order is the ladder. */
  readonly tiers: readonly (LadderTier & { readonly pricing?: TierPricing })[];
  /**
   * Escalation warm-up: "always" marks every rung after the first (warm_up),
   * so the cascade prefills the next tier while the current one answers. The
   * static ladder predicts nothing, so it is all or nothing. Default "never".
   */
  readonly warmUp?: StaticWarmUp | undefined;
  /** L4: thresholds recalibrated by shadow verification (key <tier>.all); they win over weir.yaml's. */
  readonly thresholdOverrides?: ThresholdOverrides | undefined;
  /**
   * The deployment plan's cascade knob (deployment-knob.ts), read on every
   * plan: an only tier makes every weir-auto request a one-rung plan on it,
   * the shift moves every non-final rung's threshold (after the L4
   * overrides). β means nothing without clusters: it is ignored, and `log`
   * says so once.
   */
  readonly knob?: KnobSource | undefined;
  /** Where the router says, once, that it ignores the knob's β. */
  readonly log?: ((message: string) => void) | undefined;
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
  readonly #warmUp: boolean;
  readonly #prices: ReadonlyMap<string, TierPricing>;
  readonly #overrides: ThresholdOverrides | undefined;
  readonly #knob: KnobSource | undefined;
  readonly #log: ((message: string) => void) | undefined;
  #betaLogged = false;

  constructor(options: StaticLadderRouterOptions) {
    this.#overrides = options.thresholdOverrides;
    this.#knob = options.knob;
    this.#log = options.log;
    // Prices only estimate per-request max costs (static-ladder-targets.ts).
    this.#prices = new Map(options.tiers.flatMap((t) => (t.pricing === undefined ? [] : [[t.name, { ...t.pricing }] as const])));
    // Copy, so that later changes to the caller's config cannot change plans
    // half-way through a run.
    this.#tiers = options.tiers.map((t) => ({ name: t.name, qeThreshold: t.qeThreshold }));
    validateTiers(this.#tiers);
    const warmUp = options.warmUp ?? "never";
    if (warmUp !== "never" && warmUp !== "always") {
      throw new WeirError(ErrorCode.FAILED_PRECONDITION, `router.warmUp.staticLadder is "${String(warmUp)}": use "never" or "always"`, {
        field: "router.warmUp.staticLadder",
      });
    }
    this.#warmUp = warmUp === "always";
  }

  /** The model names this router accepts: "weir-auto", then every tier name. */
  models(): string[] {
    return [AUTO_MODEL, ...this.#tiers.map((t) => t.name)];
  }

  plan(req: Pick<PlanRequest, "model"> & Partial<Pick<PlanRequest, "minQuality" | "maxCostUsd" | "promptTokens">>): RoutePlan {
    // An empty ladder is reported per request rather than at construction, so
    // that a router started on an empty config can still answer why it cannot plan.
    if (this.#tiers.length === 0) {
      throw new WeirError(
        ErrorCode.FAILED_PRECONDITION,
        "no model tiers are configured: add at least one tier under `tiers` in weir.yaml",
        { field: "tiers" },
      );
    }
    if (req.model === AUTO_MODEL) return applyStaticTargets(this.#ladder(this.#knob?.current()), targetsOf(req), this.#prices);
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

  #ladder(knob: DeploymentKnob | undefined): RoutePlan {
    if (knob?.budget !== undefined && !this.#betaLogged) {
      this.#betaLogged = true;
      this.#log?.(`the deployment plan's router budget β=${knob.budget} is ignored: the static ladder has no clusters to start by β`);
    }
    const only = knob?.onlyTier;
    if (only !== undefined && this.#tiers.some((t) => t.name === only)) {
      return create(RoutePlanSchema, { steps: [finalStep(only)], reason: `deployment plan: ${only} serves every request`, policy: STATIC_LADDER_POLICY });
    }
    const last = this.#tiers.length - 1;
    const steps: PlanStep[] = this.#tiers.map((t, i) =>
      // The last rung always accepts: there is nowhere left to escalate to.
      i === last
        ? finalStep(t.name)
        : create(PlanStepSchema, { tier: t.name, qeThreshold: shiftedThreshold(this.#overrides?.threshold(t.name) ?? t.qeThreshold, knob) }),
    );
    // Never on the first rung: nothing runs before it to hide a prefill behind.
    if (this.#warmUp) for (const step of steps.slice(1)) step.warmUp = true;
    const warmed = this.#warmUp && steps.length > 1 ? "; warm up every rung after the first (router.warmUp.staticLadder always)" : "";
    const shift = knob?.thresholdShift ?? 0;
    const shifted = shift !== 0 && steps.length > 1 ? `; deployment plan: QE thresholds shifted ${fmtShift(shift)}` : "";
    return create(RoutePlanSchema, {
      steps,
      reason: `static ladder from weir.yaml: ${this.#tiers.map((t) => t.name).join(" → ")}${shifted}${warmed}`,
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
