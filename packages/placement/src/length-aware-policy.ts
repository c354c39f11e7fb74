import type { WarmupRule } from "./placement-options.js";
import { eligibleInstances } from "./eligible-instances.js";
import type { LengthGroupPlanner, PlannedGroup } from "./length-group-planner.js";
import type { ResolvedLengthGroupPlannerOptions } from "./length-group-planner-options.js";
import { pickLeastLoaded } from "./least-loaded-placement-policy.js";
import type { LiveInstance } from "./live-instance.js";
import type { OutputLengthEstimator } from "./output-length-estimator.js";
import type { ResolvedPrefixCostWeights } from "./placement-options.js";
import type {
  MigrationRequest,
  PlacementDecision,
  PlacementPolicy,
  PlacementPolicyName,
  PlacementRequest,
} from "./placement-policy.js";
import { pickByPrefixCost } from "./prefix-aware-policy.js";
import { queuedWork } from "./prefix-cost.js";
import { TierTurns } from "./tier-turns.js";

export interface LengthAwareParts {
  planner: LengthGroupPlanner;
  estimator: OutputLengthEstimator;
  warmup: WarmupRule;
  /** Weights of the work measure that balances load across groups (prefix-cost.ts queuedWork). */
  work: ResolvedPrefixCostWeights;
  /** Within a group: least-loaded (length-aware) or, when set, the prefix cost model (prefix-length-aware). */
  prefix?: ResolvedPrefixCostWeights;
}

/**
 * length-aware (CascadeInfer): a request goes to the length group of its
 * total length (prompt + predicted output), least loaded within the group,
 * unless that group is overloaded next to a neighbour (spill, below); as
 * its context grows past the group's bound, migrationTarget() names an
 * instance of a longer group. prefix-length-aware is the same with the
 * prefix cost model instead of least-loaded within the group.
 *
 * Spill (load balance across groups): a group's load is the mean queued
 * work of its eligible members (prefix-cost.ts queuedWork: prefill queued
 * plus decode load, in token-equivalents); when it exceeds spillRatio × a
 * neighbour's + spillMarginTokens, the request goes to the less loaded such
 * neighbour. Up or down: a request spilled into a shorter group than its
 * prompt gets no migration bound there (it would only be moved straight
 * back); one whose prompt fits the shorter group migrates when it outgrows
 * it. A growing request (migrationTarget) only moves up.
 */
export function createLengthAwarePolicy(name: Extract<PlacementPolicyName, "length-aware" | "prefix-length-aware">, parts: LengthAwareParts): PlacementPolicy {
  const { planner, estimator, warmup, prefix, work } = parts;
  const o = planner.options;
  const turns = new TierTurns();

  const within = (members: LiveInstance[], req: PlacementRequest, key: string): PlacementDecision | undefined =>
    prefix !== undefined ? pickByPrefixCost(members, req, prefix, turns, key) : pickLeastLoaded(members, req, turns, key);

  const predictedOutput = (req: PlacementRequest): number =>
    req.predictedOutputTokens !== undefined && req.predictedOutputTokens > 0
      ? req.predictedOutputTokens
      : estimator.estimate(req.tier, req.promptTokens);

  const place = (
    groups: readonly PlannedGroup[],
    eligible: LiveInstance[],
    req: PlacementRequest,
    home: number,
    allowDown: boolean,
  ): PlacementDecision | undefined => {
    const members = membersByGroup(groups, eligible);
    const loads = members.map((m) => groupLoad(m, work));
    const g = chooseGroup(home, loads, o, allowDown);
    if (g === undefined) return undefined;
    const decision = within(members[g]!, req, `${req.tier}#${g}`);
    if (decision === undefined) return undefined;
    const group = groups[g]!;
    const spilled =
      g === home ? "" : `, spilled from ${groups[home]!.label} (work per instance ${Math.round(loads[home]!)} vs ${Math.round(loads[g]!)})`;
    // A bound the request's prompt already passes would only move it straight back.
    const bounded = group.maxTokens > 0 && req.promptTokens < group.maxTokens;
    return {
      ...decision,
      lengthGroup: group.label,
      ...(bounded ? { lengthGroupMaxTokens: group.maxTokens } : {}),
      reason: `length group ${group.label}${spilled}; ${decision.reason}`,
    };
  };

  return {
    name,
    usesPrefixIndex: prefix !== undefined,
    lengthGroups: planner,
    pick(instances, req) {
      const ids = tierIds(instances, req.tier);
      const output = predictedOutput(req);
      const total = req.promptTokens + output;
      // Warm-ups are not traffic of their own: they do not shape the plan.
      const groups = req.warmup === true ? planner.groups(req.tier, ids) : planner.record(req.tier, req.promptTokens, output, ids);
      const eligible = eligibleInstances(instances, req, warmup);
      if (eligible.length === 0 || groups.length === 0) return undefined;
      const home = groupIndexFor(groups, total);
      return place(groups, eligible, req, home, true);
    },
    observe(req, outputTokens) {
      estimator.observe(req.tier, req.promptTokens, outputTokens);
    },
    migrationTarget(instances, req: MigrationRequest) {
      const ids = tierIds(instances, req.tier);
      const groups = planner.groups(req.tier, ids);
      if (groups.length < 2) return undefined;
      const current = planner.groupIndexOf(req.tier, req.currentInstanceId);
      const home = groupIndexFor(groups, req.contextTokens + 1);
      if (current !== undefined && home <= current) return undefined; // still fits where it is
      const exclude = [...(req.exclude ?? []), req.currentInstanceId];
      const eligible = eligibleInstances(instances, { ...req, exclude, warmup: false }, warmup);
      // Never back down: a growing request only moves to longer groups.
      return place(groups, eligible, req, home, false);
    },
  };
}

function tierIds(instances: readonly LiveInstance[], tier: string): string[] {
  const ids: string[] = [];
  for (const i of instances) if (i.tier === tier) ids.push(i.instanceId);
  return ids;
}

/** The first group whose range holds `tokens` (the last one is unbounded). */
export function groupIndexFor(groups: readonly PlannedGroup[], tokens: number): number {
  for (let g = 0; g < groups.length; g++) {
    const max = groups[g]!.maxTokens;
    if (max === 0 || tokens <= max) return g;
  }
  return groups.length - 1;
}

function membersByGroup(groups: readonly PlannedGroup[], eligible: readonly LiveInstance[]): LiveInstance[][] {
  const index = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const id of g.instanceIds) index.set(id, i);
  });
  const members: LiveInstance[][] = groups.map(() => []);
  for (const instance of eligible) {
    const g = index.get(instance.instanceId);
    if (g !== undefined) members[g]!.push(instance);
  }
  return members;
}

/** Mean queued work of a group's eligible members; +∞ when it has none. */
function groupLoad(members: readonly LiveInstance[], w: ResolvedPrefixCostWeights): number {
  if (members.length === 0) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (const m of members) sum += queuedWork(m, w);
  return sum / members.length;
}

/**
 * The home group, or a neighbour when home is empty or overloaded next to
 * it (see createLengthAwarePolicy); with home empty, the nearest group with
 * members, upward first (downward only when allowed, else as a last resort).
 * Undefined when no group has an eligible member.
 */
function chooseGroup(
  home: number,
  loads: readonly number[],
  o: ResolvedLengthGroupPlannerOptions,
  allowDown: boolean,
): number | undefined {
  const has = (g: number) => g >= 0 && g < loads.length && loads[g]! !== Number.POSITIVE_INFINITY;
  const usable = (g: number) => has(g) && (g >= home || allowDown);
  if (!has(home)) {
    for (let d = 1; d < loads.length; d++) {
      if (usable(home + d)) return home + d;
      if (usable(home - d)) return home - d;
    }
    // Nothing allowed: any group with members beats refusing a request.
    for (let d = 1; d < loads.length; d++) {
      if (has(home + d)) return home + d;
      if (has(home - d)) return home - d;
    }
    return undefined;
  }
  let best = home;
  for (const nb of [home + 1, home - 1]) {
    if (!usable(nb)) continue;
    const overloaded = loads[home]! > o.spillRatio * loads[nb]! + o.spillMarginTokens;
    if (overloaded && loads[nb]! < loads[best]!) best = nb;
  }
  return best;
}
