// Cascadia's inner level: with the thresholds fixed, each tier's traffic is
// known, and the planner picks one deployment option per tier (replicas × TP)
// within N GPUs. Binary x[t][o] = tier t takes option o.
//
//   Σ_o x[t][o] = 1                         every tier with traffic is served once
//   Σ_t Σ_o gpus(o) x[t][o] ≤ N             the GPUs exist
//   Σ_o lat(t,o)/S x[t][o] ≤ L              L is the worst tier's latency (epigraph)
//
// min-latency:        minimise L + c Σ moved(t,o) x[t][o]
// max-slo-attainment: minimise −Σ_t (n_t/n) att(t,o) x[t][o] + c Σ moved(t,o) x[t][o]
//
// S is the latency unit: the current deployment's worst latency when
// re-planning, else the best any plan could reach (max over tiers of the
// tier's fastest option), so that c, the reallocation cost per GPU moved, reads
// as "a moved GPU must buy a c-fraction of today's worst latency" or "c of SLO
// attainment". Ties in the first objective are broken by a second solve with
// the first held at its optimum: for min-latency, the sum of every tier's
// latency (tiers that are not the bottleneck still take their fastest
// option that fits); for max-slo-attainment, the worst latency.

import type { DeploymentOption } from "./deployment-option.js";
import { type LinearTerm, type MilpConstraint, type MilpSolution, type MilpVariable, term } from "./milp-model.js";
import { type Parallelism, gpusMoved } from "./reallocation.js";
import { MilpError, solveMilp } from "./solve-milp.js";

// The models are small (tiers × options binaries): prove optimality rather
// than stop at HiGHS's default 0.01% gap, which could pick a plan a hair worse.
const EXACT = { mipRelativeGap: 0 };

export type InnerObjective = "min-latency" | "max-slo-attainment";

export interface Candidate {
  option: DeploymentOption;
  /** The latency the objective minimises (e.g. p95 e2e), ms. */
  latencyMs: number;
  /** Share of the tier's requests meeting the SLO; required by max-slo-attainment. */
  sloAttainment?: number;
}

export interface TierCandidates {
  tier: string;
  /** Requests the tier receives: its weight in the SLO attainment. */
  requests: number;
  candidates: readonly Candidate[];
  /** Its deployment now, when re-planning. */
  current?: Parallelism;
}

export interface InnerMilpInput {
  gpus: number;
  tiers: readonly TierCandidates[];
  objective: InnerObjective;
  /** Objective units per GPU moved (see above). Default 0: no cost. */
  reallocationCostPerGpu?: number;
}

export interface TierChoice {
  tier: string;
  candidate: Candidate;
  /** GPUs that start, stop or reload to get there from the tier's current deployment (all of them on a first plan). */
  movedGpus: number;
}

export interface InnerMilpResult {
  choices: TierChoice[];
  gpusUsed: number;
  worstLatencyMs: number;
  /** Requests meeting the SLO / requests, over all tiers; undefined when a choice has no attainment. */
  sloAttainment: number | undefined;
  movedGpus: number;
  /** The first solve's objective, in its normalised units (see above). */
  objectiveValue: number;
}

export async function solveInnerMilp(input: InnerMilpInput): Promise<InnerMilpResult> {
  const tiers = input.tiers;
  const cost = input.reallocationCostPerGpu ?? 0;
  for (const t of tiers) {
    if (t.candidates.length === 0) throw new RangeError(`tier ${t.tier} receives traffic but has no deployment option`);
    if (t.candidates.some((c) => !Number.isFinite(c.latencyMs) || c.latencyMs < 0)) {
      throw new RangeError(`tier ${t.tier}: every candidate needs a finite latency ≥ 0`);
    }
    if (input.objective === "max-slo-attainment" && t.candidates.some((c) => c.sloAttainment === undefined)) {
      throw new RangeError(`max-slo-attainment needs every candidate's sloAttainment (tier ${t.tier})`);
    }
  }
  if (tiers.length === 0) {
    return { choices: [], gpusUsed: 0, worstLatencyMs: 0, sloAttainment: undefined, movedGpus: 0, objectiveValue: 0 };
  }
  const scale = latencyUnit(tiers);
  const totalRequests = tiers.reduce((s, t) => s + t.requests, 0);
  const x = (t: number, o: number): string => `x[${t}][${o}]`;
  // A tier with no deployment now pays nothing in the objective: it must start
  // whatever it gets, and GPUs it takes from other tiers are charged to them.
  const moved = tiers.map((t) => t.candidates.map((c) => gpusMoved(t.current, c.option)));

  const variables: MilpVariable[] = [{ name: "L", kind: "continuous" }];
  const constraints: MilpConstraint[] = [];
  const gpuTerms: LinearTerm[] = [];
  const movedTerms: LinearTerm[] = [];
  const attainmentTerms: LinearTerm[] = [];
  const latencySumTerms: LinearTerm[] = [];
  tiers.forEach((t, ti) => {
    const one: LinearTerm[] = [];
    const worst: LinearTerm[] = [term("L", -1)];
    t.candidates.forEach((c, oi) => {
      const name = x(ti, oi);
      variables.push({ name, kind: "binary" });
      one.push(term(name));
      gpuTerms.push(term(name, c.option.gpus));
      worst.push(term(name, c.latencyMs / scale));
      latencySumTerms.push(term(name, c.latencyMs / scale));
      if (cost > 0 && t.current !== undefined) movedTerms.push(term(name, cost * moved[ti]![oi]!));
      if (c.sloAttainment !== undefined && totalRequests > 0) {
        attainmentTerms.push(term(name, -(t.requests / totalRequests) * c.sloAttainment));
      }
    });
    constraints.push({ name: `one option for ${t.tier}`, terms: one, lower: 1, upper: 1 });
    constraints.push({ name: `worst latency ≥ ${t.tier}`, terms: worst, upper: 0 });
  });
  constraints.push({ name: "GPUs", terms: gpuTerms, upper: input.gpus });

  const primary = [...(input.objective === "min-latency" ? [term("L")] : attainmentTerms), ...movedTerms];
  const secondary = input.objective === "min-latency" ? latencySumTerms : [term("L")];
  let first: MilpSolution;
  try {
    first = await solveMilp({ sense: "minimize", objective: primary, variables, constraints }, EXACT);
  } catch (e) {
    if (e instanceof MilpError && e.failure === "infeasible") {
      const fewest = tiers.reduce((s, t) => s + Math.min(...t.candidates.map((c) => c.option.gpus)), 0);
      throw new MilpError(
        "infeasible",
        e.highsStatus,
        `${input.gpus} GPUs cannot give every tier with traffic a deployment: the smallest options need ${fewest}`,
      );
    }
    throw e;
  }
  // Hold the first objective at its optimum (with a little slack for the solver's tolerances).
  const slack = 1e-6 * Math.max(1, Math.abs(first.objectiveValue));
  const held: MilpConstraint = { name: "first objective", terms: primary, upper: first.objectiveValue + slack };
  const second = await solveMilp(
    { sense: "minimize", objective: secondary, variables, constraints: [...constraints, held] },
    EXACT,
  );

  const choices: TierChoice[] = tiers.map((t, ti) => {
    const oi = t.candidates.findIndex((_, o) => (second.values.get(x(ti, o)) ?? 0) > 0.5);
    if (oi < 0) throw new Error(`HiGHS returned no option for tier ${t.tier}`);
    return { tier: t.tier, candidate: t.candidates[oi]!, movedGpus: moved[ti]![oi]! };
  });
  const attained = choices.every((c) => c.candidate.sloAttainment !== undefined)
    ? choices.reduce((s, c, i) => s + tiers[i]!.requests * c.candidate.sloAttainment!, 0) / Math.max(1, totalRequests)
    : undefined;
  return {
    choices,
    gpusUsed: choices.reduce((s, c) => s + c.candidate.option.gpus, 0),
    worstLatencyMs: Math.max(...choices.map((c) => c.candidate.latencyMs)),
    sloAttainment: attained,
    movedGpus: choices.reduce((s, c) => s + c.movedGpus, 0),
    objectiveValue: first.objectiveValue,
  };
}

/** S: the current worst latency when every tier's current option is a candidate, else the best reachable worst latency. */
function latencyUnit(tiers: readonly TierCandidates[]): number {
  const currentLatencies = tiers.map((t) =>
    t.current === undefined
      ? undefined
      : t.candidates.find(
          (c) => c.option.tensorParallel === t.current!.tensorParallel && c.option.replicas === t.current!.replicas,
        )?.latencyMs,
  );
  const unit = currentLatencies.every((l) => l !== undefined)
    ? Math.max(...currentLatencies)
    : Math.max(...tiers.map((t) => Math.min(...t.candidates.map((c) => c.latencyMs))));
  return unit > 0 && Number.isFinite(unit) ? unit : 1;
}
