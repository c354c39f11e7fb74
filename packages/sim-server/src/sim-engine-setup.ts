import { SIM_METRIC_INFO, createSimEngine, type SimEngine, type SimMetricName } from "@weir/sim";
import type { SnapshotMetricsSource } from "@weir/telemetry/metrics";
import { replayOutputSource, type ReplaySpec } from "./replay-source.js";

export interface SimSetupOptions {
  /** A preset of @weir/sim, e.g. "llama-3.1-8b/h100" (listPresets() has them all). */
  preset: string;
  /** Simulated ms per wall ms. Default 1. */
  speedup?: number | undefined;
  seed?: number | undefined;
  maxNumSeqs?: number | undefined;
  maxNumBatchedTokens?: number | undefined;
  /** Answer dataset questions with a model's recorded answers. */
  replay?: ReplaySpec | undefined;
  /** Written into the engine's KV events. Default "sim". */
  tier?: string | undefined;
}

export interface SimSetup {
  engine: SimEngine;
  /** The engine's own vLLM-named metrics, for startSimServer's `metrics`. */
  metrics: SnapshotMetricsSource<SimMetricName>;
  /** One line for humans: preset, speed, replay. */
  description: string;
}

/** The simulated engine a sim-server serves, from the options `weir sim-server` takes. */
export function createSimSetup(opts: SimSetupOptions): SimSetup {
  const engine = createSimEngine({
    preset: opts.preset,
    speedup: opts.speedup,
    seed: opts.seed,
    maxNumSeqs: opts.maxNumSeqs,
    maxNumBatchedTokens: opts.maxNumBatchedTokens,
    tier: opts.tier,
    outputSource: opts.replay === undefined ? undefined : replayOutputSource(opts.replay),
  });
  const parts = [
    `preset ${opts.preset}`,
    `speedup ${opts.speedup ?? 1}×`,
    opts.replay === undefined ? "filler answers" : `replaying ${opts.replay.dataset} answers of ${opts.replay.model}`,
  ];
  return {
    engine,
    metrics: { info: SIM_METRIC_INFO, read: () => engine.metrics() },
    description: parts.join(", "),
  };
}
