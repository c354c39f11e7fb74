import { create } from "@bufbuild/protobuf";
import { KvEventSchema, type KvEvent } from "@weir/proto";

/** A "blocks stored" KvEvent of `instanceId` in `tier`, timestamped 1000 + sequence. */
export function kvEvent(instanceId: string, sequence: number, stored: bigint[], tier = "small"): KvEvent {
  return create(KvEventSchema, {
    instanceId,
    tier,
    sequence: BigInt(sequence),
    timestampMs: BigInt(1_000 + sequence),
    event: { case: "stored", value: { blockHashes: stored, blockSize: 16 } },
  });
}

/** A chain of distinct, reproducible 64-bit "block hashes" (an LCG: cheap, no collisions at these sizes). */
export function chain(n: number, salt = 0n): bigint[] {
  const out: bigint[] = [];
  let x = 0x9e3779b97f4a7c15n ^ salt;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    out.push(x);
  }
  return out;
}
