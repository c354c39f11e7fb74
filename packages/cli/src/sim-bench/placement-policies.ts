// How sim-bench spreads a trace over the simulated instances. Round-robin
// is the baseline every serving benchmark quotes; least-loaded is what
// Weir's scheduler does today (packages/placement): fewest running + waiting
// requests, cached prefix blocks only to break a tie.

import type { EngineCore, Placement } from "@weir/sim";

export const PLACEMENT_POLICIES = ["round-robin", "least-loaded"] as const;
export type PlacementPolicyName = (typeof PLACEMENT_POLICIES)[number];

export function isPlacementPolicy(name: string): name is PlacementPolicyName {
  return (PLACEMENT_POLICIES as readonly string[]).includes(name);
}

/** A fresh placement function (each keeps its own turn). */
export function createPlacement(name: PlacementPolicyName): Placement {
  return name === "round-robin" ? roundRobin() : leastLoaded();
}

function roundRobin(): Placement {
  let turn = 0;
  return (_req, instances) => turn++ % instances.length;
}

function leastLoaded(): Placement {
  let turn = 0;
  return (req, instances) => {
    let best: number[] = [];
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let i = 0; i < instances.length; i++) {
      const load = loadOf(instances[i]!);
      if (load < bestLoad) {
        best = [i];
        bestLoad = load;
      } else if (load === bestLoad) {
        best.push(i);
      }
    }
    if (best.length > 1 && req.blockHashes.length > 0) best = mostCached(best, instances, req.blockHashes);
    // Whatever is still tied takes turns, as the scheduler's policy does.
    return best[turn++ % best.length]!;
  };
}

function loadOf(core: EngineCore): number {
  const l = core.load();
  return (l.running + l.waiting) / Math.max(1, l.maxConcurrency);
}

/** The candidates holding the longest cached prefix of the prompt (prefix lookups only on ties: they cost). */
function mostCached(candidates: number[], instances: readonly EngineCore[], hashes: readonly bigint[]): number[] {
  let best: number[] = [];
  let bestBlocks = -1;
  for (const i of candidates) {
    const blocks = instances[i]!.matchPrefix(hashes);
    if (blocks > bestBlocks) {
      best = [i];
      bestBlocks = blocks;
    } else if (blocks === bestBlocks) {
      best.push(i);
    }
  }
  return best;
}
