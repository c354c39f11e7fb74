import { create } from "@bufbuild/protobuf";
import { WorkerHeartbeatSchema, type WorkerHeartbeat } from "@weir/proto";

/** A heartbeat with sensible defaults, for tests. */
export function heartbeat(init: {
  id: string;
  tier?: string;
  sequence: number;
  running?: number;
  waiting?: number;
  maxConcurrency?: number;
  draining?: boolean;
}): WorkerHeartbeat {
  return create(WorkerHeartbeatSchema, {
    instanceId: init.id,
    tier: init.tier ?? "small",
    model: "test-model",
    engine: "placeholder",
    address: `127.0.0.1:${5000 + init.sequence}`,
    load: {
      running: init.running ?? 0,
      waiting: init.waiting ?? 0,
      maxConcurrency: init.maxConcurrency ?? 4,
      kvUsage: 0.25,
    },
    draining: init.draining ?? false,
    timestampMs: 0n,
    sequence: BigInt(init.sequence),
  });
}

/** A clock tests move by hand. */
export function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
