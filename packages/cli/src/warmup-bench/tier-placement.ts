// One tier's placement inside a mixed VirtualCluster: a @weir/placement
// policy (the scheduler's code) over that tier's simulated instances, each
// seen as its heartbeat would describe it, with the cached blocks a global
// KV index would report. Real requests always get an instance; warm-ups may
// be refused, as the scheduler refuses them with RESOURCE_EXHAUSTED.

import type { PlacementPolicy, PlacementRequest } from "@weir/placement";
import type { EngineCore, Placement } from "@weir/sim";
import { liveInstanceOfCore } from "../sim-bench/live-instance-of-core.js";

export class TierPlacement {
  readonly tier: string;
  /** Indices into the cluster's instances. */
  readonly indices: readonly number[];
  readonly #cores: readonly EngineCore[];
  readonly #policy: PlacementPolicy;
  readonly #indexOf = new Map<string, number>();

  constructor(tier: string, indices: readonly number[], cores: readonly EngineCore[], policy: PlacementPolicy) {
    this.tier = tier;
    this.indices = indices;
    this.#cores = cores;
    this.#policy = policy;
    for (const i of indices) {
      const core = cores[i]!;
      if (core.config.tier !== tier || !core.config.instanceId) throw new Error(`instance ${i} is not a named instance of tier ${tier}`);
      this.#indexOf.set(core.config.instanceId, i);
    }
  }

  /** Leading prompt blocks each instance of the tier holds (instances holding none are left out). */
  cachedBlocks(hashes: readonly bigint[]): Map<string, number> {
    const m = new Map<string, number>();
    if (hashes.length === 0) return m;
    for (const i of this.indices) {
      const blocks = this.#cores[i]!.matchPrefix(hashes);
      if (blocks > 0) m.set(this.#cores[i]!.config.instanceId!, blocks);
    }
    return m;
  }

  /** Whether some instance of the tier holds every block of the prompt. */
  holdsAll(hashes: readonly bigint[]): boolean {
    return hashes.length > 0 && [...this.cachedBlocks(hashes).values()].some((b) => b >= hashes.length);
  }

  /** The instance for a real request now; the least loaded when the policy finds none eligible. */
  place(promptTokens: number, hashes: readonly bigint[], nowMs: number): number {
    return this.#pick(promptTokens, hashes, nowMs, false) ?? this.#leastLoaded();
  }

  /**
   * The instance for a warm-up now, or undefined when the policy finds none
   * idle enough. With maxQueuedPrefill, instances with more prompt tokens
   * queued for prefill than that are not offered at all: a rule proposed for
   * the scheduler (its policies gate warm-ups on sequence load only), which
   * the benchmark can try.
   */
  placeWarmUp(promptTokens: number, hashes: readonly bigint[], nowMs: number, maxQueuedPrefill = Number.POSITIVE_INFINITY): number | undefined {
    return this.#pick(promptTokens, hashes, nowMs, true, maxQueuedPrefill);
  }

  /** As the cluster's Placement, for requests submitted to be placed when they arrive. */
  get placement(): Placement {
    return (req, _cores, nowMs) => this.place(req.spec.promptTokens, req.blockHashes, nowMs);
  }

  #pick(promptTokens: number, hashes: readonly bigint[], nowMs: number, warmup: boolean, maxQueuedPrefill = Number.POSITIVE_INFINITY): number | undefined {
    const live = this.indices.map((i) => liveInstanceOfCore(this.#cores[i]!, nowMs)).filter((l) => l.waitingPromptTokens <= maxQueuedPrefill);
    if (live.length === 0) return undefined;
    const req: PlacementRequest = {
      tier: this.tier,
      promptTokens,
      blockSize: this.#cores[this.indices[0]!]!.config.blockSize,
      ...(this.#policy.usesPrefixIndex ? { cachedBlocks: this.cachedBlocks(hashes) } : {}),
      ...(warmup ? { warmup: true } : {}),
    };
    const d = this.#policy.pick(live, req);
    return d === undefined ? undefined : this.#indexOf.get(d.instance.instanceId);
  }

  #leastLoaded(): number {
    let best = this.indices[0]!;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const i of this.indices) {
      const l = this.#cores[i]!.load();
      const load = (l.running + l.waiting) / Math.max(1, l.maxConcurrency);
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    return best;
  }
}
