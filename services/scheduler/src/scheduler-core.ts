import { openInstanceDirectory, type Bus } from "@weir/bus";
import type { WeirConfig } from "@weir/config";
import { InstanceRegistry, type LengthGroupPlanner } from "@weir/placement";
import type { GenerationCompleted, LengthGroupPlan } from "@weir/proto";
import { observeCompletions } from "./completion-feed.js";
import { feedRegistry } from "./instance-feed.js";
import { shareLengthPlans } from "./length-plan-share.js";
import { createPlacer, type Placer } from "./placer.js";
import { createPrefixLookup } from "./prefix-lookup.js";
import { createTierPolicies, type TierPolicies } from "./tier-policies.js";
import { WarmupBudget } from "./warmup-budget.js";

export interface SchedulerCoreHooks {
  /** The KV index did not answer in time: placed without it. */
  onKvMatchSkipped?(err: unknown): void;
  /** A length-group plan computed by another replica was adopted. */
  onPlanAdopted?(plan: LengthGroupPlan): void;
  /** Something was unreadable or could not be shared; placement goes on. */
  onWarning?(err: unknown, what: string): void;
  /** A worker's finished generation was fed to its tier's policy. */
  onCompletionObserved?(completed: GenerationCompleted): void;
}

/** One scheduler replica's state and logic, without the NATS service in front of it. */
export interface SchedulerCore {
  registry: InstanceRegistry;
  policies: TierPolicies;
  warmups: WarmupBudget;
  placer: Placer;
  /** The length-group planner of each length-aware tier. */
  planners: ReadonlyMap<string, LengthGroupPlanner>;
  /** True once the instance directory has been read (the replica sees every live worker). */
  caughtUp(): boolean;
  /** Resolves once the instance directory and the shared plans have been read. */
  readonly whenCaughtUp: Promise<void>;
  /** Waits for plan writes in progress. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds a scheduler replica over a NATS connection: the registry fed from
 * the instance directory, one policy per tier, the warm-up budget, the KV
 * index lookup and the length-plan sharing, joined by the placer. The
 * service (scheduler-service.ts) puts a NATS endpoint in front of it; tests
 * drive two of them side by side.
 */
export async function startSchedulerCore(bus: Bus, config: WeirConfig, hooks: SchedulerCoreHooks = {}): Promise<SchedulerCore> {
  const { scheduler, worker, tiers } = config;
  const warn = (what: string) => (err: unknown) => hooks.onWarning?.(err, what);
  const registry = new InstanceRegistry({ expireAfterMs: scheduler.heartbeatTimeoutMs });
  const policies = createTierPolicies(
    scheduler,
    tiers.map((t) => t.name),
  );
  const warmups = new WarmupBudget({ maxInFlight: scheduler.maxWarmupsInFlight, leaseMs: scheduler.warmupLeaseMs });

  const directory = await openInstanceDirectory(bus);
  const feed = await feedRegistry(directory, registry, { onError: warn("unreadable entry in the instance directory") });
  // live() already hides expired instances; this only frees their memory.
  const expiry = setInterval(() => registry.expire(), Math.max(100, scheduler.heartbeatTimeoutMs / 4));
  expiry.unref();

  const planners = new Map<string, LengthGroupPlanner>();
  for (const [tier, policy] of policies.entries()) if (policy.lengthGroups) planners.set(tier, policy.lengthGroups);
  const plans = await shareLengthPlans(bus, {
    plannerOf: (tier) => planners.get(tier),
    planners: new Set(planners.values()),
    ...(hooks.onPlanAdopted ? { onAdopted: hooks.onPlanAdopted } : {}),
    onError: warn("length-group plan not shared"),
  });

  // Every replica learns from every finished generation (no queue group):
  // the length-aware policy's output estimator needs real output lengths.
  const completions = observeCompletions(bus, policies, {
    onObserved: (c) => hooks.onCompletionObserved?.(c),
    onError: warn("unreadable GenerationCompleted"),
  });

  const placer = createPlacer({
    registry,
    policies,
    warmups,
    heartbeatTimeoutMs: scheduler.heartbeatTimeoutMs,
    fullRetryAfterMs: worker.heartbeatIntervalMs,
    lookupPrefix: createPrefixLookup(bus, (err) => hooks.onKvMatchSkipped?.(err)),
  });

  return {
    registry,
    policies,
    warmups,
    placer,
    planners,
    caughtUp: feed.caughtUp,
    whenCaughtUp: Promise.all([feed.whenCaughtUp, plans.whenCaughtUp]).then(() => undefined),
    settled: plans.settled,
    async stop() {
      clearInterval(expiry);
      completions.unsubscribe();
      feed.stop();
      plans.stop();
      await plans.settled();
    },
  };
}
