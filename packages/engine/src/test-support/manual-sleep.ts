import type { Sleep } from "../sleep.js";

interface Pending {
  ms: number;
  resolve: () => void;
}

/**
 * A Sleep that waits until the test says so: every call is recorded, stays
 * pending until wake(), and rejects with the signal's reason on abort, like
 * the real one.
 */
export class ManualSleep {
  /** Every requested duration, in call order. */
  readonly requested: number[] = [];
  readonly #pending: Pending[] = [];

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      this.requested.push(ms);
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Pending = {
        ms,
        resolve: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#pending.splice(this.#pending.indexOf(entry), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#pending.push(entry);
    });

  get pending(): number {
    return this.#pending.length;
  }

  /** Ends every sleep now pending. */
  wake(): void {
    for (const p of this.#pending.splice(0)) p.resolve();
  }
}

/** Lets queued promise callbacks run (no timers involved). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
