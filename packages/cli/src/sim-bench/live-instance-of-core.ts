import type { LiveInstance } from "@weir/placement";
import type { EngineCore } from "@weir/sim";

/**
 * A simulated instance as the scheduler's registry would see it from a
 * heartbeat sent right now: the core's configured instance id and tier,
 * its live load, no placements in flight (the simulator places and
 * enqueues in the same instant, so load already counts them).
 */
export function liveInstanceOfCore(core: EngineCore, nowMs: number): LiveInstance {
  const load = core.load();
  const c = core.config;
  return {
    instanceId: c.instanceId ?? "",
    tier: c.tier,
    address: "",
    model: c.preset.id,
    engine: "sim",
    running: load.running,
    waiting: load.waiting,
    maxConcurrency: load.maxConcurrency,
    kvUsage: load.kvUsage,
    kvBlocksTotal: load.kvBlocksTotal ?? 0,
    waitingPromptTokens: load.waitingPromptTokens ?? 0,
    maxWaiting: 0,
    lastSeenMs: nowMs,
    inflight: 0,
  };
}
