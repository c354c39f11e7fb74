// Named deployments: a model on a number of GPUs of one kind, tensor-parallel
// across all of them. "llama-3.1-70b/h100x4" is the 70B model on 4×H100, TP4.

import { GPUS, type GpuSpec } from "./hardware.js";
import { MODELS, type ModelSpec } from "./models.js";

export interface Preset {
  /** "<model>/<gpu>" or "<model>/<gpu>x<count>". */
  readonly id: string;
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  /** GPUs in the tensor-parallel group. */
  readonly tensorParallel: number;
}

function preset(modelId: string, gpuId: string, tensorParallel: number): Preset {
  const model = MODELS[modelId];
  const gpu = GPUS[gpuId];
  if (model === undefined || gpu === undefined) throw new Error(`unknown model ${modelId} or GPU ${gpuId}`);
  const id = tensorParallel === 1 ? `${modelId}/${gpuId}` : `${modelId}/${gpuId}x${tensorParallel}`;
  return { id, model, gpu, tensorParallel };
}

const ALL: readonly Preset[] = [
  preset("llama-3.1-8b", "h100", 1),
  preset("llama-3.1-8b", "h200", 1),
  preset("llama-3.1-70b", "h100", 4),
  preset("llama-3.1-70b", "h100", 8),
  preset("llama-3.1-70b", "h200", 4),
  preset("llama-3.1-70b", "h200", 8),
  preset("mixtral-8x7b", "h100", 2),
  preset("mixtral-8x7b", "h200", 2),
];

const BY_ID = new Map(ALL.map((p) => [p.id, p]));

/** Every preset, in a stable order. */
export function listPresets(): readonly Preset[] {
  return ALL;
}

/** The preset with this id; throws a sentence listing the known ones otherwise. */
export function getPreset(id: string): Preset {
  const p = BY_ID.get(id);
  if (p === undefined) {
    throw new RangeError(`unknown sim preset "${id}": use one of ${ALL.map((x) => x.id).join(", ")}`);
  }
  return p;
}
