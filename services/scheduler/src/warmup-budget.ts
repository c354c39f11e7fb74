export interface WarmupBudgetOptions {
  /** Warm-ups one tier may have in flight (0 refuses all). */
  maxInFlight: number;
  /** How long a granted warm-up counts as in flight. */
  leaseMs: number;
  /** Clock in ms (injectable for tests). Default performance.now. */
  now?: () => number;
}

/**
 * Bounds escalation warm-ups per tier. The scheduler places a warm-up but
 * never sees it end (the gateway talks to the worker directly), so each one
 * holds a lease: it counts against the tier's budget for leaseMs after it was
 * granted, then frees its place on its own. The lease should be about the
 * time a prefill takes; too short lets warm-ups pile up on a slow tier, too
 * long refuses warm-ups that would have fit. What keeps a warm-up from
 * crowding out real work on one instance is the policy's own rule (it only
 * picks instances below warmupMaxLoad); this budget bounds the tier as a
 * whole. Per scheduler replica: N replicas admit up to N × maxInFlight.
 */
export class WarmupBudget {
  readonly #maxInFlight: number;
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** Per tier, the expiry times of its leases, oldest first. */
  readonly #leases = new Map<string, number[]>();

  constructor(options: WarmupBudgetOptions) {
    this.#maxInFlight = options.maxInFlight;
    this.#leaseMs = options.leaseMs;
    this.#now = options.now ?? (() => performance.now());
  }

  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Warm-ups of the tier whose lease has not yet run out. */
  inFlight(tier: string): number {
    return this.#live(tier).length;
  }

  /** Takes a lease when the tier has budget left; false when it has none. */
  tryAcquire(tier: string): boolean {
    const leases = this.#live(tier);
    if (leases.length >= this.#maxInFlight) return false;
    leases.push(this.#now() + this.#leaseMs);
    this.#leases.set(tier, leases);
    return true;
  }

  /** Gives back the newest lease of the tier (the warm-up was not placed after all). */
  release(tier: string): void {
    this.#leases.get(tier)?.pop();
  }

  /** ms until the tier's oldest lease runs out (0 when it has budget now). */
  retryAfterMs(tier: string): number {
    const leases = this.#live(tier);
    if (leases.length < this.#maxInFlight) return 0;
    const oldest = leases[0];
    return oldest === undefined ? this.#leaseMs : Math.max(1, Math.ceil(oldest - this.#now()));
  }

  #live(tier: string): number[] {
    const now = this.#now();
    const leases = this.#leases.get(tier) ?? [];
    let expired = 0;
    while (expired < leases.length && (leases[expired] ?? Infinity) <= now) expired++;
    if (expired > 0) leases.splice(0, expired);
    return leases;
  }
}
