// One deployment's run in virtual time, through warmup-bench's two-tier
// cascade simulation (one VirtualCluster, the scheduler's placement policy
// per tier, an escalation placed on the large tier when the small answer
// ends), with warm-ups off. What each client saw comes back as ServedRequest.

import { createPlacementPolicy, type PlacementPolicyName } from "@weir/placement";
import type { RequestResult } from "@weir/sim";
import { type SimCascadeOutcome, type SimCascadeRequest, runWarmupSim } from "../warmup-bench/warmup-sim.js";
import type { ServedRequest } from "./bench-figures.js";
import type { BenchDeployment } from "./bench-deployments.js";
import type { RowPath } from "./bench-paths.js";
import type { BenchRequest } from "./bench-workload.js";

/** USD per million tokens, per tier (small, large). */
export interface TierPrices {
  small: { inputPerMTok: number; outputPerMTok: number };
  large: { inputPerMTok: number; outputPerMTok: number };
}

export interface SimulateOptions {
  policy: PlacementPolicyName;
  seed: number;
  prices: TierPrices;
}

export function simulateDeployment(
  deployment: BenchDeployment,
  requests: readonly BenchRequest[],
  paths: readonly RowPath[],
  o: SimulateOptions,
): ServedRequest[] {
  const simRequests: SimCascadeRequest[] = requests.map((r) => {
    const path = paths[r.row];
    if (path === undefined) throw new RangeError(`no cascade path for data row ${r.row}`);
    const tiers = path.tiers.join(",");
    if (tiers !== "0" && tiers !== "1" && tiers !== "0,1") throw new RangeError(`path ${tiers} is not one of a two-tier cascade`);
    const startsOnLarge = tiers === "1";
    const usesSmall = !startsOnLarge;
    const usesLarge = tiers !== "0";
    if ((usesSmall && deployment.small.instances === 0) || (usesLarge && deployment.large.instances === 0)) {
      throw new Error(`${deployment.name} routes request ${r.id} to a tier it does not deploy`);
    }
    return { ...r, startsOnLarge, escalates: tiers === "0,1", warmUp: false };
  });
  // runWarmupSim wants ≥ 1 instance per tier: a tier that is not deployed
  // gets one idle instance, which no request is routed to (checked above), so
  // it changes nothing in virtual time.
  const outcomes = runWarmupSim(simRequests, {
    small: { ...deployment.small, instances: Math.max(1, deployment.small.instances) },
    large: { ...deployment.large, instances: Math.max(1, deployment.large.instances) },
    policy: () => createPlacementPolicy(o.policy),
    warmUps: false,
    maxWarmUpsInFlight: 0,
    seed: o.seed,
  });
  const correct = new Map(requests.map((r) => [r.id, paths[r.row]!.correct]));
  return outcomes.map((out) => served(out, correct.get(out.request.id)!, o.prices));
}

export function served(out: SimCascadeOutcome, correct: boolean, prices: TierPrices): ServedRequest {
  const delivered = out.large ?? out.small;
  if (delivered === undefined) throw new Error(`request ${out.request.id} never finished`);
  const arrivalMs = out.request.arrivalMs;
  const cost = (r: RequestResult | undefined, p: TierPrices["small"]): number =>
    r === undefined ? 0 : (r.promptTokens * p.inputPerMTok + r.outputTokens * p.outputPerMTok) / 1e6;
  return {
    arrivalMs,
    finishMs: delivered.finishMs,
    ttftMs: delivered.firstTokenMs - arrivalMs,
    tpotMs: delivered.tpotMs,
    e2eMs: delivered.finishMs - arrivalMs,
    outputTokens: delivered.outputTokens,
    escalated: out.small !== undefined && out.large !== undefined,
    correct,
    costUsd: cost(out.small, prices.small) + cost(out.large, prices.large),
  };
}
