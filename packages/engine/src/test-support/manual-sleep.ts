import type { Sleep } from "../sleep.js";

interface Pending {
  ms: number;
  /** The clock time it ends at. */
  at: number;
  resolve: () => void;
}

/**
 * A Sleep and a clock that move only when the test says so: every sleep is
 * recorded and stays pending until wake() or advance() reaches its end, and
 * rejects with the signal's reason on abort, like the real one. Give an
 * engine both `sleep` and `now` (as its clock), so that what it reads on the
 * clock agrees with what its sleeps waited.
 */
export class ManualSleep {
  /** Every requested duration, in call order. */
  readonly requested: number[] = [];
  readonly #pending: Pending[] = [];
  #time = 0;

  /** The clock, in ms from 0. */
  readonly now = (): number => this.#time;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      this.requested.push(ms);
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Pending = {
        ms,
        at: this.#time + ms,
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

  /** Ends every sleep now pending; the clock moves on to the latest of their ends. */
  wake(): void {
    const woken = this.#pending.splice(0);
    for (const p of woken) this.#time = Math.max(this.#time, p.at);
    for (const p of woken) p.resolve();
  }

  /** Moves the clock on by `ms` and ends the sleeps due by then. */
  advance(ms: number): void {
    this.#time += ms;
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const p = this.#pending[i] as Pending;
      if (p.at > this.#time) continue;
      this.#pending.splice(i, 1);
      p.resolve();
    }
  }
}

/** Lets queued promise callbacks run (no timers involved). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
