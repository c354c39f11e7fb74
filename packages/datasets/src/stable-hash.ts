// Hashes that are the same on every run and machine (SHA-256), for row ids and
// for deterministic splits. Not on a hot path: a dataset is hashed once, on load.

import { createHash } from "node:crypto";

/** The first 16 hex digits (64 bits) of SHA-256 of `text` (UTF-8). */
export function stableHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

/** A number in [0, 1), uniform over keys: the first 52 bits of SHA-256 of `key`. */
export function stableUnit(key: string): number {
  const hex = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 13);
  return Number.parseInt(hex, 16) / 2 ** 52;
}
