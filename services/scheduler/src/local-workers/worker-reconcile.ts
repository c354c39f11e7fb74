// The pure half of the local worker supervisor: from the workers wanted per
// tier and the workers running now, which to start and which to stop. No
// processes here, so every rule below is tested on plain data.

/** What one tier should run. */
export interface DesiredTier {
  tier: string;
  /**
   * The sim preset every worker of the tier runs, e.g. "llama-3.1-70b/h100x4";
   * undefined runs the tier as weir.yaml configures it (no override), which
   * is how non-sim tiers are started at boot.
   */
  preset: string | undefined;
  replicas: number;
}

export type WorkerState = "starting" | "ready" | "stopping";

/** A worker process the supervisor has started and not yet seen exit. */
export interface SupervisedWorker {
  /** Instance id, `<tier>-<n>`. */
  id: string;
  tier: string;
  preset: string | undefined;
  state: WorkerState;
}

export interface WorkerToStart {
  id: string;
  tier: string;
  preset: string | undefined;
}

export interface WorkerToStop {
  id: string;
  tier: string;
  /**
   * "now": a surplus worker of the right preset, or a tier planned down to 0.
   * "after-start": a worker whose preset changed; it is stopped only once a
   * replacement of its tier is ready, so a tier that had workers never drops
   * to zero (and keeps its old workers when the new preset cannot start).
   */
  when: "now" | "after-start";
}

export interface ReconcileActions {
  start: WorkerToStart[];
  stop: WorkerToStop[];
}

/**
 * Workers to start and stop so that each desired tier runs exactly
 * `replicas` workers of its preset. Tiers not in `desired` are left alone;
 * workers already stopping are neither kept nor stopped again, but their ids
 * stay taken until they exit. Kept workers are the ready ones first, then the
 * lowest numbers; new ids reuse the lowest free number of the tier.
 */
export function reconcileWorkers(desired: readonly DesiredTier[], workers: readonly SupervisedWorker[]): ReconcileActions {
  const start: WorkerToStart[] = [];
  const stop: WorkerToStop[] = [];
  for (const want of desired) {
    const live = workers.filter((w) => w.tier === want.tier && w.state !== "stopping").sort(keepFirst);
    const matching = live.filter((w) => w.preset === want.preset);
    const stale = live.filter((w) => w.preset !== want.preset);
    const kept = matching.slice(0, want.replicas);
    for (const w of matching.slice(want.replicas)) stop.push({ id: w.id, tier: w.tier, when: "now" });

    const missing = want.replicas - kept.length;
    const taken = new Set(workers.filter((w) => w.tier === want.tier).map((w) => w.id));
    for (const id of freeIds(want.tier, taken, missing)) start.push({ id, tier: want.tier, preset: want.preset });

    // A stale worker goes at once only when nothing replaces it: the tier is
    // planned down to 0, or enough workers of the new preset already run.
    const replaced = missing > 0 && want.replicas > 0;
    for (const w of stale) stop.push({ id: w.id, tier: w.tier, when: replaced ? "after-start" : "now" });
  }
  return { start, stop };
}

/** `count` ids `<tier>-<n>` not in `taken`, lowest n first (freed numbers are reused). */
export function freeIds(tier: string, taken: ReadonlySet<string>, count: number): string[] {
  const out: string[] = [];
  for (let n = 1; out.length < count; n++) {
    const id = `${tier}-${n}`;
    if (!taken.has(id)) out.push(id);
  }
  return out;
}

/** Ready before starting, then by instance number (so the lowest ids survive a scale-down). */
function keepFirst(a: SupervisedWorker, b: SupervisedWorker): number {
  if (a.state !== b.state) return a.state === "ready" ? -1 : 1;
  return numberOf(a.id) - numberOf(b.id) || a.id.localeCompare(b.id);
}

function numberOf(id: string): number {
  const m = /-(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}
