// Simulated runs by (tier deployment, option, engine settings, traffic
// fingerprint): the inner MILP needs one per candidate option, and the outer
// level asks again for the same tier shares many times. Kept in memory and,
// when given a file, as JSON on disk across processes. Runs are stored per
// request (not as percentiles) so that any SLO can be scored from them later.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ReplicaRun } from "./simulate-replicas.js";

/**
 * Bump when the latency model changes (the loop, the placement, what a run
 * holds), so stale files are ignored rather than trusted.
 */
export const LATENCY_MODEL_VERSION = 1;

interface CacheFile {
  version: number;
  entries: Record<string, ReplicaRun>;
}

export class LatencyCache {
  readonly #entries = new Map<string, ReplicaRun>();
  readonly #path: string | undefined;
  #dirty = false;

  /** In memory only, or backed by a JSON file read now (a missing, stale or unreadable file starts empty). */
  constructor(path?: string) {
    this.#path = path;
    if (path === undefined || !existsSync(path)) return;
    try {
      const file = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
      if (file.version !== LATENCY_MODEL_VERSION) return;
      for (const [key, run] of Object.entries(file.entries)) this.#entries.set(key, run);
    } catch {
      // A corrupt cache only costs simulations: start empty and overwrite it on save().
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): ReplicaRun | undefined {
    return this.#entries.get(key);
  }

  set(key: string, run: ReplicaRun): void {
    this.#entries.set(key, run);
    this.#dirty = true;
  }

  /** Writes the file (atomically: a temporary file, then a rename) if anything changed. */
  save(): void {
    if (this.#path === undefined || !this.#dirty) return;
    const file: CacheFile = { version: LATENCY_MODEL_VERSION, entries: Object.fromEntries(this.#entries) };
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, (_k, v: unknown) => (typeof v === "number" ? round(v) : v)));
    renameSync(tmp, this.#path);
    this.#dirty = false;
  }
}

/** Microsecond resolution is plenty for latencies in ms and keeps the file small. */
function round(v: number): number {
  return Number.isInteger(v) ? v : Math.round(v * 1000) / 1000;
}
