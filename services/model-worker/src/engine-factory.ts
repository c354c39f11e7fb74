import type { TierConfig } from "@weir/config";
import { PlaceholderEngine, type Engine } from "@weir/engine";
import { SIM_METRIC_INFO } from "@weir/sim";
import { registerSnapshotMetrics } from "@weir/telemetry";
import type { Registry } from "prom-client";
import { openAiEngineForTier } from "./openai-engine-for-tier.js";
import { simEngineForTier } from "./sim-engine-for-tier.js";
import { registerUpstreamMetrics } from "./upstream-metrics.js";

/** A tier's engine, with what the worker needs around it. */
export interface TierEngine {
  engine: Engine;
  /** Puts the engine's own metrics on the worker's registry. */
  registerMetrics(registry: Registry): void;
  /** Lets go of what the engine holds (clock, connections), after the drain. */
  close(): void;
}

/**
 * The engine a tier's workers run: `placeholder` (fixed delay, no GPU),
 * `sim` (the simulated vLLM-style engine, its metrics in vLLM's names) or
 * `openai` (any OpenAI-compatible server, its measured latencies as
 * weir_upstream_* metrics).
 */
export function createEngineForTier(tier: TierConfig, opts: { instanceId: string; env: NodeJS.ProcessEnv }): TierEngine {
  switch (tier.engine) {
    case "placeholder":
      return {
        engine: new PlaceholderEngine({
          tier: tier.name,
          tokenDelayMs: tier.engineOptions.tokenDelayMs,
          maxConcurrency: tier.engineOptions.maxConcurrency,
        }),
        registerMetrics: () => undefined,
        close: () => undefined,
      };
    case "sim": {
      const engine = simEngineForTier(tier, opts.instanceId);
      return {
        engine,
        registerMetrics: (registry) =>
          registerSnapshotMetrics(registry, { info: SIM_METRIC_INFO, read: () => engine.metrics() }, { model_name: tier.model }),
        close: () => engine.stop(),
      };
    }
    case "openai": {
      const engine = openAiEngineForTier(tier, opts.env);
      return {
        engine,
        registerMetrics: (registry) => registerUpstreamMetrics(registry, engine),
        close: () => engine.close(),
      };
    }
  }
}
