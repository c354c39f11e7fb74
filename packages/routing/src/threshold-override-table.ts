import { ALL_CLUSTERS, type ThresholdOverrides, thresholdKey } from "./threshold-key.js";

/**
 * ThresholdOverrides kept in memory, fed from the KV bucket's watch (the
 * router service wires `set` / `delete` to the bucket's updates). No I/O
 * here, so planning never waits on NATS: a plan uses what arrived so far.
 */
export class ThresholdOverrideTable implements ThresholdOverrides {
  readonly #values = new Map<string, number>();

  /** Applies one KV entry (`<tier>.<cluster>` → decimal text); malformed values are ignored, not fatal. */
  set(key: string, value: string | number): void {
    const v = typeof value === "number" ? value : Number(value);
    if (Number.isFinite(v) && v >= 0 && v <= 1) this.#values.set(key, v);
  }

  delete(key: string): void {
    this.#values.delete(key);
  }

  threshold(tier: string, cluster?: number): number | undefined {
    if (cluster !== undefined) {
      const v = this.#values.get(thresholdKey(tier, cluster));
      if (v !== undefined) return v;
    }
    return this.#values.get(`${tier}.${ALL_CLUSTERS}`);
  }
}
