import { type KV, Kvm } from "@nats-io/kv";
import type { Bus } from "./connect.js";

/**
 * L4: the NATS KV bucket of QE thresholds recalibrated by shadow
 * verification, key `<tier>.<cluster>` (or `<tier>.all`), value the threshold
 * as decimal text. The qe-judge writes; routers watch it into their plans
 * (@weir/routing ThresholdOverrideTable). The same name as @weir/routing's
 * QE_THRESHOLDS_BUCKET (bus does not depend on routing).
 */
export const QE_THRESHOLDS_BUCKET = "weir_qe_thresholds";

export interface QeThresholdStore {
  put(key: string, threshold: number): Promise<void>;
  get(key: string): Promise<number | undefined>;
  /** Calls onPut for every key already there, then for each change; returns a function that stops watching. */
  watch(onPut: (key: string, threshold: number) => void, onDelete?: (key: string) => void): Promise<() => void>;
}

/** Opens (creating when missing) the thresholds bucket. */
export async function openQeThresholds(bus: Bus): Promise<QeThresholdStore> {
  const kv: KV = await new Kvm(bus.nc).create(QE_THRESHOLDS_BUCKET, { history: 1 });
  return {
    async put(key, threshold) {
      await kv.put(key, String(threshold));
    },
    async get(key) {
      const e = await kv.get(key);
      if (e === null || e.operation !== "PUT") return undefined;
      const v = Number(e.string());
      return Number.isFinite(v) ? v : undefined;
    },
    async watch(onPut, onDelete) {
      const iter = await kv.watch();
      void (async () => {
        for await (const e of iter) {
          if (e.operation === "PUT") {
            const v = Number(e.string());
            if (Number.isFinite(v)) onPut(e.key, v);
          } else onDelete?.(e.key);
        }
      })();
      return () => iter.stop();
    },
  };
}
