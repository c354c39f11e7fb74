// The instances holding one block. Almost every block is held by exactly one
// instance, so a lone holder is stored as its id string and only a shared
// block pays for a Set: with millions of indexed blocks that is most of the
// index's memory.

export type Holders = string | Set<string>;

export function holds(holders: Holders, instanceId: string): boolean {
  return typeof holders === "string" ? holders === instanceId : holders.has(instanceId);
}

/** Holders with `instanceId` added. */
export function withHolder(holders: Holders | undefined, instanceId: string): Holders {
  if (holders === undefined || holders === instanceId) return instanceId;
  if (typeof holders === "string") return new Set([holders, instanceId]);
  holders.add(instanceId);
  return holders;
}

/** Holders with `instanceId` removed; undefined when none is left. */
export function withoutHolder(holders: Holders, instanceId: string): Holders | undefined {
  if (typeof holders === "string") return holders === instanceId ? undefined : holders;
  holders.delete(instanceId);
  if (holders.size > 1) return holders;
  const [last] = holders;
  return last;
}

/** Calls `fn` for each holder. */
export function forEachHolder(holders: Holders, fn: (instanceId: string) => void): void {
  if (typeof holders === "string") fn(holders);
  else for (const id of holders) fn(id);
}
