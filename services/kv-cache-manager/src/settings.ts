/** Knobs of the kv-cache-manager that weir.yaml does not carry (yet): read from the environment. */
export interface KvManagerSettings {
  /** Write a snapshot once this many events were applied since the newest one (0: no event trigger). */
  snapshotEveryEvents: number;
  /** ...or once the newest snapshot is this old, if anything changed since (0: no time trigger). */
  snapshotEveryMs: number;
  /** Unacknowledged events the server may have out to this replica at once. */
  maxAckPending: number;
  /** Escalation warm-ups in flight at once from this replica (0: warm-ups off). */
  warmUpMaxInFlight: number;
}

export const DEFAULT_SETTINGS: KvManagerSettings = {
  // At ~2 M blocks/s applied (docs/notes/kv-cache-manager.md), a tail of
  // 20 k events replays in about a second at most; a snapshot of a million
  // entries costs ~0.2 s of CPU, so every 30 s is under 1 % of one core.
  snapshotEveryEvents: 20_000,
  snapshotEveryMs: 30_000,
  maxAckPending: 1_024,
  warmUpMaxInFlight: 8,
};

const VARIABLES: Record<keyof KvManagerSettings, string> = {
  snapshotEveryEvents: "WEIR_KV_SNAPSHOT_EVERY_EVENTS",
  snapshotEveryMs: "WEIR_KV_SNAPSHOT_EVERY_MS",
  maxAckPending: "WEIR_KV_MAX_ACK_PENDING",
  warmUpMaxInFlight: "WEIR_KV_WARMUP_MAX_IN_FLIGHT",
};

/** Settings from WEIR_KV_* variables over the defaults; a malformed value stops start-up with a sentence. */
export function readSettings(env: NodeJS.ProcessEnv): KvManagerSettings {
  const out = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(VARIABLES) as (keyof KvManagerSettings)[]) {
    const name = VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const value = Number(raw);
    const min = key === "maxAckPending" ? 1 : 0;
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`${name} is "${raw}": set it to a whole number of at least ${min}`);
    }
    out[key] = value;
  }
  return out;
}
