import { type MessageInitShape, create } from "@bufbuild/protobuf";
import { KvEventSchema, type KvEvent } from "@weir/proto";

type Body =
  | { stored: bigint[] }
  | { removed: bigint[] }
  | { cleared: true };

/** A KvEvent for tests: instance, tier, sequence and one change. */
export function kvEvent(instanceId: string, sequence: number, body: Body, opts: { tier?: string; at?: number } = {}): KvEvent {
  const event: MessageInitShape<typeof KvEventSchema>["event"] =
    "stored" in body
      ? { case: "stored", value: { blockHashes: body.stored, blockSize: 16 } }
      : "removed" in body
        ? { case: "removed", value: { blockHashes: body.removed } }
        : { case: "cleared", value: {} };
  return create(KvEventSchema, {
    instanceId,
    tier: opts.tier ?? "small",
    sequence: BigInt(sequence),
    timestampMs: BigInt(opts.at ?? 1_000 + sequence),
    event,
  });
}

/** A chain of distinct, reproducible 64-bit "block hashes". */
export function chain(n: number, salt = 0n): bigint[] {
  const out: bigint[] = [];
  let x = 0x9e3779b97f4a7c15n ^ salt;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    out.push(x);
  }
  return out;
}
