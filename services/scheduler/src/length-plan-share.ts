import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type KV, Kvm } from "@nats-io/kv";
import { PLACEMENT_PLANS_BUCKET, type Bus } from "@weir/bus";
import { LengthGroupPlanSchema, type LengthGroupPlan } from "@weir/proto";

/** What plan sharing needs of a length-group planner (@weir/placement's LengthGroupPlanner). */
export interface SharedPlanner {
  currentPlan(tier: string): LengthGroupPlan | undefined;
  /** Takes a plan from elsewhere; ignored (false) unless its epoch is above the current one. */
  adopt(plan: LengthGroupPlan): boolean;
  /** Every plan this planner computes itself. */
  onPlan(cb: (plan: LengthGroupPlan) => void): () => void;
}

export interface PlanShareOptions {
  /** The planner that owns a tier's plans, or undefined when the tier is not length-aware. */
  plannerOf(tier: string): SharedPlanner | undefined;
  /** Every planner to publish from (each announces its plans through onPlan). */
  planners: Iterable<SharedPlanner>;
  /** A plan adopted from another replica (for logs and metrics). */
  onAdopted?(plan: LengthGroupPlan): void;
  onError?(err: unknown): void;
}

export interface PlanShare {
  /** Resolves once the plans already in the bucket have been adopted. */
  readonly whenCaughtUp: Promise<void>;
  /** Settles once every put started so far is done (for tests and shutdown). */
  settled(): Promise<void>;
  stop(): void;
}

/** Attempts at publishing one plan before leaving it to the next one. */
const MAX_PUT_ATTEMPTS = 5;

/**
 * Shares length-group plans between scheduler replicas through the NATS KV
 * bucket weir_placement_plans (key = tier), so that every replica places
 * with the same groups.
 *
 * Every replica watches the bucket and adopts each plan whose epoch is above
 * its own. A replica that computes a plan itself writes it only if the
 * bucket holds an older epoch (compare-and-set on the revision it read), so
 * the first writer of an epoch wins. Two replicas can compute epoch N+1 at
 * once from different request histograms; the loser cannot adopt the
 * winner's plan (same epoch), so it re-stamps the winner's groups as epoch
 * N+2 and writes that, which every replica then adopts, the winner included
 * (same groups: nothing changes for it). After a race the bucket, and so
 * every replica, converges on the first writer's groups. Plans are rare
 * (every few hundred requests at most), so the read before each write costs
 * nothing that matters.
 */
export async function shareLengthPlans(bus: Bus, options: PlanShareOptions): Promise<PlanShare> {
  const kv: KV = await new Kvm(bus.nc).create(PLACEMENT_PLANS_BUCKET, { history: 1 });
  let pending: Promise<void> = Promise.resolve();

  /**
   * Writes a plan computed here, unless the bucket already holds a plan of
   * the same epoch or a later one: every write is a compare-and-set on the
   * revision just read, so two replicas never both win one epoch.
   */
  const publish = async (plan: LengthGroupPlan): Promise<void> => {
    const planner = options.plannerOf(plan.tier);
    let candidate = plan;
    for (let attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
      // A newer plan arrived meanwhile (adopted or computed): this one is moot.
      if (planner && (planner.currentPlan(plan.tier)?.epoch ?? 0n) > candidate.epoch) return;
      const latest = await kv.get(plan.tier);
      const current = latest?.operation === "PUT" ? fromBinary(LengthGroupPlanSchema, latest.value) : undefined;
      if (current && current.epoch > candidate.epoch) return; // the watch brings it
      if (current && current.epoch === candidate.epoch) {
        // Another replica won this epoch: its groups, one epoch above, so that everyone (us too) can adopt them.
        candidate = create(LengthGroupPlanSchema, { ...current, epoch: current.epoch + 1n });
        planner?.adopt(candidate);
      }
      const bytes = toBinary(LengthGroupPlanSchema, candidate);
      try {
        if (current && latest) await kv.update(plan.tier, bytes, latest.revision);
        else await kv.create(plan.tier, bytes);
        return;
      } catch {
        // Someone wrote between our read and our write: read again.
      }
    }
    options.onError?.(new Error(`length plan of tier "${plan.tier}" not shared after ${MAX_PUT_ATTEMPTS} attempts`));
  };

  const unsubscribe = [...options.planners].map((planner) =>
    planner.onPlan((plan) => {
      pending = pending.then(() => publish(plan)).catch((err: unknown) => options.onError?.(err));
    }),
  );

  // Plans already in the bucket come first; an empty bucket sends none.
  const empty = (await kv.status()).values === 0;
  const iter = await kv.watch();
  let markCaughtUp: () => void = () => undefined;
  const whenCaughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  if (empty) markCaughtUp();
  void (async () => {
    for await (const e of iter) {
      try {
        if (e.operation !== "PUT") continue;
        const plan = fromBinary(LengthGroupPlanSchema, e.value);
        if (options.plannerOf(plan.tier)?.adopt(plan)) options.onAdopted?.(plan);
      } catch (err) {
        options.onError?.(err);
      } finally {
        if (e.isUpdate || e.delta === 0) markCaughtUp();
      }
    }
  })();

  return {
    whenCaughtUp,
    settled: () => pending,
    stop() {
      for (const off of unsubscribe) off();
      iter.stop();
    },
  };
}
