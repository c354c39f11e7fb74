import type { LiveInstance } from "../live-instance.js";
import type { PlacementRequest } from "../placement-policy.js";

/** A LiveInstance with idle defaults, for tests. */
export function liveInstance(id: string, load: Partial<LiveInstance> = {}): LiveInstance {
  return {
    instanceId: id,
    tier: "small",
    address: `${id}:1`,
    model: "m",
    engine: "sim",
    running: 0,
    waiting: 0,
    maxConcurrency: 4,
    kvUsage: 0,
    kvBlocksTotal: 1000,
    waitingPromptTokens: 0,
    maxWaiting: 0,
    lastSeenMs: 0,
    inflight: 0,
    ...load,
  };
}

/** A PlacementRequest on tier "small" with 16-token blocks, for tests. */
export function placementRequest(init: Partial<PlacementRequest> = {}): PlacementRequest {
  return { tier: "small", promptTokens: 512, blockSize: 16, ...init };
}
