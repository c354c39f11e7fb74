// The engine configuration of one replica: a model on `tensorParallel` GPUs
// of one kind. @weir/sim resolves configurations from named presets only, and
// has presets for some degrees (8B: TP1; 70B: TP4, TP8), while the planner
// must weigh every degree that fits (70B on 2×H100, 8B on TP2…). So a replica
// is resolved from a preset of the same model, as the sim would, and then
// given the capacity and the step-time model of its own degree and GPU. When
// a preset matches exactly, the result is the sim's own resolution.

import {
  type GpuSpec,
  type InstanceConfig,
  type ModelSpec,
  type Preset,
  StepTimeModel,
  kvCapacityTokens,
  listPresets,
  resolveInstanceConfig,
} from "@weir/sim";
import type { ResolvedSimSettings } from "./sim-settings.js";

export function replicaConfig(
  model: ModelSpec,
  gpu: GpuSpec,
  tensorParallel: number,
  settings: ResolvedSimSettings,
  seed: number,
): InstanceConfig {
  const presets = listPresets().filter((p) => p.model.id === model.id);
  const exact = presets.find((p) => p.gpu.id === gpu.id && p.tensorParallel === tensorParallel);
  const base = exact ?? presets[0];
  if (base === undefined) {
    throw new RangeError(`@weir/sim has no preset for model ${model.id}: the planner cannot simulate it`);
  }
  const capacity = kvCapacityTokens({
    model,
    gpu,
    tensorParallel,
    gpuMemoryUtilization: settings.gpuMemoryUtilization,
    kvCacheDtype: settings.kvCacheDtype,
  });
  const resolved = resolveInstanceConfig({
    preset: base.id,
    seed,
    gpuMemoryUtilization: settings.gpuMemoryUtilization,
    kvCacheDtype: settings.kvCacheDtype,
    maxNumSeqs: settings.maxNumSeqs,
    maxNumBatchedTokens: settings.maxNumBatchedTokens,
    // The capacity of this degree and GPU, not the base preset's.
    kvCapacityTokens: capacity,
  });
  if (exact !== undefined) return resolved;
  const preset: Preset = {
    id: tensorParallel === 1 ? `${model.id}/${gpu.id}` : `${model.id}/${gpu.id}x${tensorParallel}`,
    model,
    gpu,
    tensorParallel,
  };
  return {
    ...resolved,
    preset,
    stepTime: new StepTimeModel({
      model,
      gpu,
      tensorParallel,
      kvCacheDtype: settings.kvCacheDtype,
      calibration: resolved.stepTime.calibration,
    }),
  };
}
