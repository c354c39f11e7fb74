// The engine configuration of one replica: a model on `tensorParallel` GPUs
// of one kind, resolved by @weir/sim exactly as a sim worker running the
// preset "<model>/<gpu>x<TP>" would be, so what the planner weighs is what a
// worker it starts will do.

import { type GpuSpec, type InstanceConfig, type ModelSpec, presetId, resolveInstanceConfig } from "@weir/sim";
import type { ResolvedSimSettings } from "./sim-settings.js";

export function replicaConfig(
  model: ModelSpec,
  gpu: GpuSpec,
  tensorParallel: number,
  settings: ResolvedSimSettings,
  seed: number,
): InstanceConfig {
  return resolveInstanceConfig({
    preset: presetId(model.id, gpu.id, tensorParallel),
    seed,
    gpuMemoryUtilization: settings.gpuMemoryUtilization,
    kvCacheDtype: settings.kvCacheDtype,
    maxNumSeqs: settings.maxNumSeqs,
    maxNumBatchedTokens: settings.maxNumBatchedTokens,
  });
}
