import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { type KV, Kvm } from "@nats-io/kv";
import { type WorkerHeartbeat, WorkerHeartbeatSchema } from "@weir/proto";
import type { Bus } from "./connect.js";

/**
 * The NATS KV bucket that holds every worker instance's latest heartbeat,
 * key `<tier>.<instanceId>`. Workers put into it; scheduler replicas and
 * kv-cache-manager replicas watch it, so every replica sees the same set of
 * instances (the registry shared through NATS the placement issue asks for).
 */
export const INSTANCES_BUCKET = "weir_instances";

/** The NATS KV bucket holding each tier's LengthGroupPlan under the tier's name. */
export const PLACEMENT_PLANS_BUCKET = "weir_placement_plans";

/** The NATS object store holding kv-cache-manager index snapshots. */
export const KV_SNAPSHOTS_STORE = "weir_kv_snapshots";

/**
 * Keys of dead instances vanish after this long without a put, even when the
 * worker could not delete its own key (it crashed). Watchers do not wait for
 * this: they judge liveness on their own clock from the last put they saw.
 */
const INSTANCE_KEY_TTL_MS = 10 * 60 * 1000;

export interface InstanceDirectory {
  /** Records an instance's latest heartbeat. */
  put(hb: WorkerHeartbeat): Promise<void>;
  /** Removes an instance at once (a clean shutdown). */
  remove(tier: string, instanceId: string): Promise<void>;
  /**
   * Calls onPut for every instance's latest heartbeat (first the ones already
   * in the bucket, then each new put) and onRemove when a key is deleted.
   * Returns a function that stops watching.
   */
  watch(handlers: InstanceWatchHandlers): Promise<() => void>;
}

export interface InstanceWatchHandlers {
  onPut(hb: WorkerHeartbeat): void;
  onRemove(tier: string, instanceId: string): void;
  /** The existing entries have all been delivered (the watcher is current). */
  onCaughtUp?(): void;
  onError?(err: unknown): void;
}

/** Opens (creating when missing) the instances bucket. */
export async function openInstanceDirectory(bus: Bus): Promise<InstanceDirectory> {
  const kv: KV = await new Kvm(bus.nc).create(INSTANCES_BUCKET, { history: 1, ttl: INSTANCE_KEY_TTL_MS });
  return {
    async put(hb) {
      await kv.put(instanceKey(hb.tier, hb.instanceId), toBinary(WorkerHeartbeatSchema, hb));
    },
    async remove(tier, instanceId) {
      await kv.delete(instanceKey(tier, instanceId));
    },
    async watch(h) {
      // Existing entries arrive first, each with `delta` = how many are still
      // to come; an empty bucket sends none, so look before watching.
      const empty = (await kv.status()).values === 0;
      const iter = await kv.watch();
      let caughtUp = false;
      const catchUp = () => {
        if (caughtUp) return;
        caughtUp = true;
        h.onCaughtUp?.();
      };
      if (empty) catchUp();
      void (async () => {
        for await (const e of iter) {
          if (e.isUpdate || e.delta === 0) queueMicrotask(catchUp);
          try {
            if (e.operation === "PUT") h.onPut(fromBinary(WorkerHeartbeatSchema, e.value));
            else {
              const [tier = "", instanceId = ""] = splitKey(e.key);
              h.onRemove(tier, instanceId);
            }
          } catch (err) {
            h.onError?.(err);
          }
        }
      })();
      return () => iter.stop();
    },
  };
}

/** `<tier>.<instanceId>`: both are subject tokens (no ".", no wildcards). */
export function instanceKey(tier: string, instanceId: string): string {
  return `${tier}.${instanceId}`;
}

function splitKey(key: string): [string, string] {
  const dot = key.indexOf(".");
  return dot < 0 ? [key, ""] : [key.slice(0, dot), key.slice(dot + 1)];
}
