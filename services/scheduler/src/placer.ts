import { create } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import { noInstanceError, type InstanceRegistry, type LiveInstance } from "@weir/placement";
import { PlacementSchema, type PlaceRequest, type Placement } from "@weir/proto";
import type { PrefixLookup } from "./prefix-lookup.js";
import { hasQueueRoom } from "./queue-room.js";
import type { TierPolicies } from "./tier-policies.js";
import type { WarmupBudget } from "./warmup-budget.js";

/** Tokens per KV block when the index was not asked (only used to report cached tokens). */
const DEFAULT_BLOCK_SIZE = 16;

/** What became of one placement request: the metric label (warm-ups prefixed "warmup_"). */
export type PlaceOutcome = `${"" | "warmup_"}${"placed" | "no_instance" | "full" | "over_budget" | "no_idle_instance"}`;

export type PlaceResult =
  | { ok: true; placement: Placement; policy: string; outcome: PlaceOutcome }
  | { ok: false; error: WeirError; policy: string; outcome: PlaceOutcome };

export interface PlacerDeps {
  registry: InstanceRegistry;
  policies: TierPolicies;
  lookupPrefix: PrefixLookup;
  warmups: WarmupBudget;
  /** The registry's expiry window, for "no live worker" sentences. */
  heartbeatTimeoutMs: number;
  /**
   * Retry-After for a full tier: the heartbeat interval, the soonest the
   * scheduler can learn that a queue has room again.
   */
  fullRetryAfterMs: number;
}

export interface Placer {
  place(req: PlaceRequest): Promise<PlaceResult>;
}

/**
 * One placement, in the order that keeps the request path lean and the
 * refusals honest:
 *
 * 1. live instances of the tier, less those the request already tried
 *    (none: UNAVAILABLE, with what was seen);
 * 2. those whose bounded queue has room (none: RESOURCE_EXHAUSTED "the tier
 *    is full", with a Retry-After, so the client backs off instead of the
 *    request waiting in a queue it would time out in);
 * 3. a warm-up takes a lease of the tier's warm-up budget (none left:
 *    RESOURCE_EXHAUSTED);
 * 4. the KV index, only when the tier's policy uses it and there is a
 *    choice to make (more than one candidate): a bounded 50 ms hop;
 * 5. the policy picks; a warm-up it finds no instance idle enough for is
 *    refused with RESOURCE_EXHAUSTED, and gives its lease back.
 *
 * Given the same registry state and the same policy state, two replicas
 * make the same choice: nothing here depends on arrival order or timing
 * beyond what the registry holds.
 */
export function createPlacer(deps: PlacerDeps): Placer {
  const { registry, policies, warmups } = deps;
  return {
    async place(req) {
      const policy = policies.of(req.tier);
      const warmup = req.warmup;
      const done = (outcome: string) => (warmup ? `warmup_${outcome}` : outcome) as PlaceOutcome;
      const refuse = (error: WeirError, outcome: string): PlaceResult => ({ ok: false, error, policy: policy.name, outcome: done(outcome) });

      const live = registry.live(req.tier);
      const excluded = new Set(req.excludeInstanceIds);
      const untried = live.filter((i) => !excluded.has(i.instanceId));
      if (untried.length === 0) {
        const detail = { ...registry.counts(req.tier), excluded: live.length - untried.length };
        return refuse(noInstanceError(req.tier, deps.heartbeatTimeoutMs, detail), "no_instance");
      }
      const candidates = untried.filter(hasQueueRoom);
      if (candidates.length === 0) return refuse(tierFullError(req.tier, untried, deps.fullRetryAfterMs), "full");
      if (warmup && !warmups.tryAcquire(req.tier)) {
        return refuse(
          WeirError.resourceExhausted(
            `warm-up refused: tier "${req.tier}" already has ${warmups.inFlight(req.tier)} warm-ups in flight ` +
              `(scheduler.maxWarmupsInFlight is ${warmups.maxInFlight}); the request runs without one`,
            Math.max(1, warmups.retryAfterMs(req.tier)),
          ),
          "over_budget",
        );
      }

      const cached =
        policy.usesPrefixIndex && candidates.length > 1 && req.blockHashes.length > 0
          ? await deps.lookupPrefix(req.tier, req.blockHashes)
          : undefined;
      const blockSize = cached?.blockSize || DEFAULT_BLOCK_SIZE;
      const decision = policy.pick(candidates, {
        tier: req.tier,
        promptTokens: req.promptTokens,
        ...(req.predictedOutputTokens > 0 ? { predictedOutputTokens: req.predictedOutputTokens } : {}),
        blockSize,
        ...(cached ? { cachedBlocks: cached.byInstance } : {}),
        warmup,
      });
      if (!decision) {
        if (warmup) {
          warmups.release(req.tier);
          return refuse(
            WeirError.resourceExhausted(
              `warm-up refused: no instance of tier "${req.tier}" is idle enough for one ` +
                `(${candidates.length} with queue room, all at or above the policy's warm-up load limit)`,
              deps.fullRetryAfterMs,
            ),
            "no_idle_instance",
          );
        }
        // A policy declines a real request only when it has nothing eligible.
        return refuse(noInstanceError(req.tier, deps.heartbeatTimeoutMs, registry.counts(req.tier)), "no_instance");
      }

      const chosen = decision.instance;
      registry.notePlaced(chosen.instanceId);
      return {
        ok: true,
        policy: policy.name,
        outcome: done("placed"),
        placement: create(PlacementSchema, {
          instanceId: chosen.instanceId,
          tier: chosen.tier,
          address: chosen.address,
          cachedPrefixTokens: decision.cachedBlocks * blockSize,
          policy: policy.name,
          reason: `${decision.reason} (${candidates.length} of ${live.length} live instance(s) eligible)`,
          lengthGroup: decision.lengthGroup ?? "",
        }),
      };
    },
  };
}

/** RESOURCE_EXHAUSTED for a tier whose every untried live instance has a full queue. */
export function tierFullError(tier: string, instances: readonly LiveInstance[], retryAfterMs: number): WeirError {
  const n = instances.length;
  const bound = [...new Set(instances.map((i) => i.maxWaiting))].join("/");
  return WeirError.resourceExhausted(
    `tier "${tier}" is full: ${n === 1 ? "its only live instance already queues" : `all ${n} live instances already queue`} ` +
      `as many requests as worker.maxWaiting (${bound}) allows; retry after ${Math.ceil(retryAfterMs / 1000)} s or add instances`,
    retryAfterMs,
  );
}
