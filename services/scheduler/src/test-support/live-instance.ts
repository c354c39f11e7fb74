import type { LiveInstance } from "@weir/placement";

/** A live instance of tier "small" with an idle default load, for tests. */
export function liveInstance(id: string, load: Partial<LiveInstance> = {}): LiveInstance {
  return {
    instanceId: id,
    tier: "small",
    address: `${id}:1`,
    model: "m",
    engine: "placeholder",
    running: 0,
    waiting: 0,
    maxConcurrency: 4,
    kvUsage: 0,
    kvBlocksTotal: 0,
    waitingPromptTokens: 0,
    maxWaiting: 0,
    lastSeenMs: 0,
    inflight: 0,
    ...load,
  };
}
