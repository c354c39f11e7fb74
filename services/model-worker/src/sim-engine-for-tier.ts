import type { TierConfig } from "@weir/config";
import { ReplayIndex, createReplayOutputSource, loadGsm8k, loadMmlu, type OutputSource } from "@weir/datasets";
import { createSimEngine, type SimEngine } from "@weir/sim";

const DATASETS = { gsm8k: loadGsm8k, mmlu: loadMmlu } as const;

/**
 * engine: sim — the simulated vLLM-style engine on the tier's preset. With
 * engineOptions.replay, a prompt that is one of the dataset's questions is
 * answered with that model's recorded answer (timing stays the preset's);
 * any other prompt gets the simulator's filler text.
 */
export function simEngineForTier(tier: TierConfig, instanceId: string): SimEngine {
  const o = tier.engineOptions;
  if (o.preset === undefined) {
    // The config schema requires it; this guards a hand-built TierConfig.
    throw new Error(`tier "${tier.name}" uses engine "sim" without engineOptions.preset; set it, e.g. llama-3.1-8b/h100`);
  }
  const replay = o.replay;
  let outputSource: OutputSource | undefined;
  if (replay !== undefined) {
    try {
      outputSource = createReplayOutputSource(new ReplayIndex(DATASETS[replay.dataset](), replay.model));
    } catch (err) {
      throw new Error(
        `tier "${tier.name}" cannot replay ${replay.dataset} answers of "${replay.model}" (engineOptions.replay): ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }
  return createSimEngine({
    preset: o.preset,
    speedup: o.speedup,
    seed: o.seed,
    maxNumSeqs: o.maxNumSeqs,
    maxNumBatchedTokens: o.maxNumBatchedTokens,
    kvPrecision: o.kvPrecision,
    anchorBlocks: o.anchorBlocks,
    tier: tier.name,
    instanceId,
    outputSource,
  });
}
