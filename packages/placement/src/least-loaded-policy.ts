import type { LiveInstance } from "./live-instance.js";

// PLACEHOLDER-era placement policy: least loaded, with cached prefix blocks
// only as a tie-break. The placement issue adds prefix-aware and
// length-aware policies that weigh cache hits against load.

export interface PlacementOptions {
  /** Instances not to use (e.g. already tried by this request). */
  exclude?: readonly string[];
  /** Leading prompt blocks each instance holds in its KV cache (from the prefix index). */
  cachedBlocks?: ReadonlyMap<string, number>;
}

/**
 * (running + waiting + inflight) / max(1, maxConcurrency): the fraction of its
 * slots an instance would have busy, counting placements since its heartbeat.
 */
export function instanceLoad(instance: LiveInstance): number {
  return (instance.running + instance.waiting + instance.inflight) / Math.max(1, instance.maxConcurrency);
}

/**
 * Every instance tied for best, in instanceId order: lowest load first, then,
 * among equal loads, most cached blocks. Empty when none is eligible.
 */
export function leastLoadedCandidates(
  instances: readonly LiveInstance[],
  options: PlacementOptions = {},
): LiveInstance[] {
  const exclude = options.exclude && options.exclude.length > 0 ? new Set(options.exclude) : undefined;
  const cached = options.cachedBlocks;
  let best: LiveInstance[] = [];
  let bestLoad = Infinity;
  let bestCached = -1;
  for (const instance of instances) {
    if (exclude?.has(instance.instanceId)) continue;
    const load = instanceLoad(instance);
    const blocks = cached?.get(instance.instanceId) ?? 0;
    if (load < bestLoad || (load === bestLoad && blocks > bestCached)) {
      best = [instance];
      bestLoad = load;
      bestCached = blocks;
    } else if (load === bestLoad && blocks === bestCached) {
      best.push(instance);
    }
  }
  // A fixed order, so that round-robin over ties does not depend on the
  // order the caller listed the instances in.
  return best.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}

/**
 * The least-loaded instance, stateless: remaining ties go to the lowest
 * instanceId. Services should prefer createLeastLoadedPolicy(), which spreads
 * ties round-robin.
 */
export function leastLoaded(
  instances: readonly LiveInstance[],
  options: PlacementOptions = {},
): LiveInstance | undefined {
  return leastLoadedCandidates(instances, options)[0];
}

export interface LeastLoadedPolicy {
  /** The instance to place on, or undefined when none is eligible. */
  pick(instances: readonly LiveInstance[], options?: PlacementOptions): LiveInstance | undefined;
}

/**
 * Least loaded, then most cached blocks, then round-robin over whatever is
 * still tied. The round-robin turn is the policy's only state, kept per tier
 * so that one tier's traffic does not skew another's rotation.
 */
export function createLeastLoadedPolicy(): LeastLoadedPolicy {
  const turns = new Map<string, number>();
  return {
    pick(instances, options = {}) {
      const candidates = leastLoadedCandidates(instances, options);
      const first = candidates[0];
      if (first === undefined || candidates.length === 1) return first;
      const turn = turns.get(first.tier) ?? 0;
      turns.set(first.tier, (turn + 1) % Number.MAX_SAFE_INTEGER);
      return candidates[turn % candidates.length];
    },
  };
}
