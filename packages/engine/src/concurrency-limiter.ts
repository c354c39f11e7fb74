/** Gives a slot back; calling it more than once is harmless. */
export type Release = () => void;

interface Waiter {
  grant(): void;
}

/**
 * At most `limit` holders at a time; the rest wait in FIFO order. A waiter
 * whose signal aborts leaves the queue at once. A released slot is handed
 * straight to the next waiter, so nobody can overtake the queue.
 */
export class ConcurrencyLimiter {
  readonly limit: number;
  #running = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves with a Release once a slot is held; rejects with `signal.reason` if aborted first. */
  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    if (this.#running < this.limit && this.#queue.length === 0) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // Hand-off: the slot passes to the next waiter and #running stays the same.
      if (next === undefined) this.#running--;
      else next.grant();
    };
  }
}
