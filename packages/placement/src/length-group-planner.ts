import { create } from "@bufbuild/protobuf";
import { type LengthGroupPlan, LengthGroupPlanSchema, LengthGroupSchema } from "@weir/proto";
import { binUpperBound, lengthGroupLabel } from "./length-bins.js";
import {
  type LengthGroupPlannerOptions,
  type ResolvedLengthGroupPlannerOptions,
  groupsFor,
  resolveLengthGroupOptions,
} from "./length-group-planner-options.js";
import { LengthHistogram, totalVariation } from "./length-histogram.js";
import { partitionLengthGroups } from "./partition-length-groups.js";
import { requestLengthCost } from "./request-length-cost.js";

/** One group of a plan as placement uses it. */
export interface PlannedGroup {
  /** Upper bound of the group's length range (tokens, inclusive); 0 = unbounded. */
  maxTokens: number;
  /** E.g. "≤2048", ">2048". */
  label: string;
  instanceIds: readonly string[];
}

interface TierState {
  histogram: LengthHistogram;
  plan: LengthGroupPlan | undefined;
  groups: PlannedGroup[];
  /** Instance id → group index under `plan`. */
  groupOf: Map<string, number>;
  /** Histogram shares the plan was computed from (for drift). */
  plannedShares: Float64Array | undefined;
  /** The sorted instance ids the plan covers, joined (membership check). */
  membership: string;
  sinceReplan: number;
}

/**
 * Keeps a histogram of recent request lengths (prompt + predicted output)
 * per tier and partitions the tier's instances into contiguous length-range
 * groups (CascadeInfer), re-planning as traffic drifts:
 *
 * - every replanEvery requests, or sooner when the histogram's total-
 *   variation distance from the one the plan came from exceeds
 *   driftThreshold (tested every driftCheckEvery requests), or at once
 *   when the tier's instance set changes; each plan costs one DP
 *   (partition-length-groups.ts), so re-planning is bounded by the request
 *   rate / driftCheckEvery;
 * - before minSamples requests a tier has one group holding every instance;
 * - every group holds ≥ 1 instance (the DP never leaves one empty);
 * - a plan is a weir.v1.LengthGroupPlan, so scheduler replicas share it
 *   (NATS KV bucket weir_placement_plans): onPlan() tells the owner when
 *   this planner computed one, adopt() takes one from elsewhere. Epochs only
 *   go up: adopt() ignores a plan whose epoch is not above the current one,
 *   and a new plan takes the next epoch after the latest known.
 */
export class LengthGroupPlanner {
  readonly options: ResolvedLengthGroupPlannerOptions;
  readonly #now: () => number;
  readonly #tiers = new Map<string, TierState>();
  readonly #listeners = new Set<(plan: LengthGroupPlan) => void>();

  constructor(options: LengthGroupPlannerOptions = {}, now: () => number = Date.now) {
    this.options = resolveLengthGroupOptions(options);
    if (!(this.options.groups >= 0)) throw new RangeError(`groups must be ≥ 1 (or 0 = automatic), got ${this.options.groups}`);
    this.#now = now;
  }

  /** The cost the DP balances for a request of this prompt and (predicted) output (request-length-cost.ts). */
  cost(promptTokens: number, outputTokens: number): number {
    return requestLengthCost(promptTokens, outputTokens, this.options);
  }

  /**
   * Counts one request (prompt + predicted output tokens; its length is their
   * sum) on `tier`, whose instances are now `instanceIds`; re-plans when due.
   * Returns the tier's groups.
   */
  record(tier: string, promptTokens: number, outputTokens: number, instanceIds: readonly string[]): readonly PlannedGroup[] {
    const s = this.#state(tier);
    s.histogram.record(promptTokens + outputTokens, this.cost(promptTokens, outputTokens));
    s.sinceReplan++;
    this.#maybeReplan(tier, s, instanceIds);
    return s.groups;
  }

  /** The tier's groups under the current plan (one group of `instanceIds` before the first plan). */
  groups(tier: string, instanceIds: readonly string[]): readonly PlannedGroup[] {
    const s = this.#state(tier);
    if (s.plan === undefined || s.groups.length === 0) this.#maybeReplan(tier, s, instanceIds);
    return s.groups;
  }

  /** The group index an instance belongs to, or undefined when the plan does not know it. */
  groupIndexOf(tier: string, instanceId: string): number | undefined {
    return this.#tiers.get(tier)?.groupOf.get(instanceId);
  }

  /** The tier's current plan, or undefined before one exists. */
  currentPlan(tier: string): LengthGroupPlan | undefined {
    return this.#tiers.get(tier)?.plan;
  }

  /** Takes a plan from another replica; false (ignored) unless its epoch is above the current one. */
  adopt(plan: LengthGroupPlan): boolean {
    if (plan.groups.length === 0 || plan.groups.some((g) => g.instanceIds.length === 0)) return false;
    const s = this.#state(plan.tier);
    if (s.plan !== undefined && plan.epoch <= s.plan.epoch) return false;
    this.#install(s, plan);
    s.plannedShares = s.histogram.size > 0 ? s.histogram.shares() : undefined;
    s.sinceReplan = 0;
    return true;
  }

  /** Calls `cb` with every plan this planner computes; returns a function that stops it. */
  onPlan(cb: (plan: LengthGroupPlan) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  /** Computes a plan for the tier now from its histogram, whatever is due. */
  replan(tier: string, instanceIds: readonly string[]): LengthGroupPlan {
    const s = this.#state(tier);
    return this.#replan(tier, s, instanceIds);
  }

  #state(tier: string): TierState {
    let s = this.#tiers.get(tier);
    if (s === undefined) {
      s = {
        histogram: new LengthHistogram(this.options.window),
        plan: undefined,
        groups: [],
        groupOf: new Map(),
        plannedShares: undefined,
        membership: "",
        sinceReplan: 0,
      };
      this.#tiers.set(tier, s);
    }
    return s;
  }

  #maybeReplan(tier: string, s: TierState, instanceIds: readonly string[]): void {
    if (instanceIds.length === 0) return;
    const o = this.options;
    const membership = membershipKey(instanceIds);
    let due = s.plan === undefined || membership !== s.membership;
    if (!due && s.histogram.size >= o.minSamples) {
      if (s.sinceReplan >= o.replanEvery) due = true;
      else if (s.sinceReplan % o.driftCheckEvery === 0) {
        due = s.plannedShares === undefined || totalVariation(s.histogram.shares(), s.plannedShares) > o.driftThreshold;
      }
      // A plan made before minSamples is a placeholder: replace it as soon as there is data.
      if (!due && s.plan !== undefined && s.plan.sampleSize < o.minSamples) due = true;
    }
    if (due) this.#replan(tier, s, instanceIds);
  }

  #replan(tier: string, s: TierState, instanceIds: readonly string[]): LengthGroupPlan {
    const ids = [...new Set(instanceIds)].sort();
    const o = this.options;
    const h = s.histogram;
    let groups: { maxTokens: number; instanceIds: string[] }[];
    const k = groupsFor(o, ids.length);
    if (h.size < o.minSamples || k === 1 || ids.length === 1) {
      groups = [{ maxTokens: 0, instanceIds: ids }];
    } else {
      // The DP runs over the bins that hold requests only, so no group is a
      // range nobody asked for; a gap between two groups goes to the lower
      // one (its bound reaches up to the next group's first length), and the
      // last group is unbounded.
      const seen: number[] = [];
      for (let b = 0; b < h.counts.length; b++) if (h.counts[b]! > 0) seen.push(b);
      const part = partitionLengthGroups(
        seen.map((b) => h.costs[b]!),
        ids.length,
        k,
        o.minGroupInstances,
      );
      groups = [];
      let next = 0;
      for (let g = 0; g < part.lastBin.length; g++) {
        const n = part.instances[g]!;
        const isLast = g === part.lastBin.length - 1;
        const nextFirstBin = isLast ? 0 : seen[part.lastBin[g]! + 1]!;
        groups.push({ maxTokens: isLast ? 0 : binUpperBound(nextFirstBin - 1), instanceIds: ids.slice(next, next + n) });
        next += n;
      }
    }
    const epoch = (s.plan?.epoch ?? 0n) + 1n;
    const plan = create(LengthGroupPlanSchema, {
      tier,
      epoch,
      plannedAtMs: BigInt(Math.round(this.#now())),
      sampleSize: h.size,
      groups: groups.map((g) => create(LengthGroupSchema, g)),
    });
    this.#install(s, plan);
    s.plannedShares = h.size > 0 ? h.shares() : undefined;
    s.sinceReplan = 0;
    for (const cb of this.#listeners) cb(plan);
    return plan;
  }

  #install(s: TierState, plan: LengthGroupPlan): void {
    s.plan = plan;
    s.groups = [];
    s.groupOf = new Map();
    let previous = 0;
    plan.groups.forEach((g, i) => {
      s.groups.push({ maxTokens: g.maxTokens, label: lengthGroupLabel(g.maxTokens, previous), instanceIds: g.instanceIds });
      for (const id of g.instanceIds) s.groupOf.set(id, i);
      previous = g.maxTokens;
    });
    s.membership = membershipKey(plan.groups.flatMap((g) => g.instanceIds));
  }
}

function membershipKey(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join("\u0000");
}
