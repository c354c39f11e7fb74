import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type KV, Kvm } from "@nats-io/kv";
import { type DeploymentPlan, DeploymentPlanSchema } from "@weir/proto";
import type { Bus } from "./connect.js";

/**
 * The NATS KV bucket of the deployment plan `weir plan --apply` writes (issue
 * 7): per tier, how many workers on which sim preset, and the cascade knob.
 * One key, CURRENT_PLAN_KEY; in the local stack the scheduler that supervises
 * workers watches it and starts or stops workers to match.
 */
export const DEPLOYMENT_BUCKET = "weir_deployment";

/** The one key of DEPLOYMENT_BUCKET: the plan in force. */
export const CURRENT_PLAN_KEY = "current";

/** What a writer passes: the message or its init shape (plain fields). */
export type DeploymentPlanInit = MessageInitShape<typeof DeploymentPlanSchema>;

export interface DeploymentPlanStore {
  /** Stores `plan` as the current plan (binary protobuf); returns what was stored. */
  put(plan: DeploymentPlanInit): Promise<DeploymentPlan>;
  /** The current plan, or undefined when none was ever stored (or it was deleted). */
  get(): Promise<DeploymentPlan | undefined>;
  /** Withdraws the plan in force: watchers get onCleared and go back to weir.yaml. */
  clear(): Promise<void>;
  /**
   * Calls onPlan with the stored plan (when there is one), then with each new
   * one, and onCleared when the plan is withdrawn. A value that does not
   * decode goes to onError and is skipped, so one bad write cannot stop the
   * watcher. Returns a function that stops watching.
   */
  watch(onPlan: (plan: DeploymentPlan) => void, onError?: (err: unknown) => void, onCleared?: () => void): Promise<() => void>;
}

export type { DeploymentPlan };

/** Opens (creating when missing) the deployment bucket. */
export async function openDeploymentPlans(bus: Bus): Promise<DeploymentPlanStore> {
  // history 1: only the plan in force matters; older ones live in the writer's logs.
  const kv: KV = await new Kvm(bus.nc).create(DEPLOYMENT_BUCKET, { history: 1 });
  return {
    async put(init) {
      const plan = create(DeploymentPlanSchema, init);
      await kv.put(CURRENT_PLAN_KEY, toBinary(DeploymentPlanSchema, plan));
      return plan;
    },
    async get() {
      const e = await kv.get(CURRENT_PLAN_KEY);
      if (e === null || e.operation !== "PUT") return undefined;
      return fromBinary(DeploymentPlanSchema, e.value);
    },
    async clear() {
      await kv.delete(CURRENT_PLAN_KEY);
    },
    async watch(onPlan, onError, onCleared) {
      const iter = await kv.watch({ key: CURRENT_PLAN_KEY });
      void (async () => {
        for await (const e of iter) {
          if (e.operation !== "PUT") {
            onCleared?.();
            continue;
          }
          let plan: DeploymentPlan;
          try {
            plan = fromBinary(DeploymentPlanSchema, e.value);
          } catch (err) {
            onError?.(new Error(`the value under ${DEPLOYMENT_BUCKET}/${CURRENT_PLAN_KEY} is not a DeploymentPlan: ${String(err)}`));
            continue;
          }
          onPlan(plan);
        }
      })();
      return () => iter.stop();
    },
  };
}
