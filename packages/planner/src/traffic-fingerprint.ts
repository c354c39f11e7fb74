// A short digest of a tier's traffic (arrivals, lengths, prefix ids), so a
// cached latency is reused exactly when the same requests would be simulated.

import { createHash } from "node:crypto";
import type { TraceRequest } from "@weir/datasets";

export function trafficFingerprint(traffic: readonly TraceRequest[]): string {
  const hash = createHash("sha256");
  const row = new Float64Array(4);
  for (const r of traffic) {
    row[0] = r.arrivalMs;
    row[1] = r.inputTokens;
    row[2] = r.outputTokens;
    row[3] = r.hashIds?.length ?? -1;
    hash.update(new Uint8Array(row.buffer));
    if (r.hashIds !== undefined && r.hashIds.length > 0) hash.update(Float64Array.from(r.hashIds));
  }
  return `${traffic.length}-${hash.digest("hex").slice(0, 16)}`;
}
