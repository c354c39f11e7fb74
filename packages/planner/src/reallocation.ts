// What changing a tier's deployment costs, in GPUs whose role changes, so
// that re-planning can weigh a better plan against the churn of getting there.

/** A tier's parallelism: replicas × tensor-parallel degree. */
export interface Parallelism {
  tensorParallel: number;
  replicas: number;
}

/**
 * GPUs that must start, stop or reload to go from `current` to `next`:
 * - same degree: only the replicas added or removed (|Δreplicas| × TP);
 *   the others keep serving untouched;
 * - another degree: every replica is rebuilt, so every GPU the tier holds
 *   before or after changes role: max(GPUs before, GPUs after);
 * - a tier that had no GPUs: all of next's; one that gets none: all of current's.
 */
export function gpusMoved(current: Parallelism | undefined, next: Parallelism | undefined): number {
  const before = current === undefined ? 0 : current.tensorParallel * current.replicas;
  const after = next === undefined ? 0 : next.tensorParallel * next.replicas;
  if (current === undefined || next === undefined) return before + after;
  if (current.tensorParallel === next.tensorParallel) return Math.abs(current.replicas - next.replicas) * next.tensorParallel;
  return Math.max(before, after);
}
