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
  return { id: presetId(modelId, gpuId, tensorParallel), model, gpu, tensorParallel };
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

/** Tensor-parallel degrees a preset id may name (vLLM splits heads evenly over a power of two). */
export const TENSOR_PARALLEL_DEGREES: readonly number[] = [1, 2, 4, 8];

const ID_PATTERN = /^([a-z0-9.-]+)\/([a-z]+[0-9]*)(?:x(\d+))?$/;

/** Every preset listed by name, in a stable order (getPreset also builds any other valid `<model>/<gpu>x<N>`). */
export function listPresets(): readonly Preset[] {
  return ALL;
}

/** The preset id of a model on `tensorParallel` GPUs of one kind: "llama-3.1-70b/h100x2", "llama-3.1-8b/h100". */
export function presetId(modelId: string, gpuId: string, tensorParallel: number): string {
  return tensorParallel === 1 ? `${modelId}/${gpuId}` : `${modelId}/${gpuId}x${tensorParallel}`;
}

/**
 * The preset with this id: a listed one, or any known model on 1, 2, 4 or 8
 * GPUs of a known kind — the planner weighs every degree (70B on 2×H100, 8B
 * on TP4…), and a sim worker must be able to run what it plans. Whether the
 * weights fit is checked when the instance is resolved (kvCapacityTokens).
 * Throws a sentence naming what is known otherwise.
 */
export function getPreset(id: string): Preset {
  const listed = BY_ID.get(id);
  if (listed !== undefined) return listed;
  const m = ID_PATTERN.exec(id);
  const model = m === null ? undefined : MODELS[m[1]!];
  const gpu = m === null ? undefined : GPUS[m[2]!];
  const tp = m?.[3] === undefined ? 1 : Number(m[3]);
  if (model === undefined || gpu === undefined || !TENSOR_PARALLEL_DEGREES.includes(tp) || (m?.[3] !== undefined && tp === 1)) {
    throw new RangeError(
      `unknown sim preset "${id}": use "<model>/<gpu>" or "<model>/<gpu>x<N>" with model one of ${Object.keys(MODELS).join(", ")}, ` +
        `gpu one of ${Object.keys(GPUS).join(", ")} and N one of ${TENSOR_PARALLEL_DEGREES.filter((d) => d > 1).join(", ")} ` +
        `(listed: ${ALL.map((x) => x.id).join(", ")})`,
    );
  }
  if (model.attentionHeads % tp !== 0 || (model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0)) {
    throw new RangeError(`sim preset "${id}": ${model.name}'s attention heads do not split evenly over ${tp} GPUs`);
  }
  return { id, model, gpu, tensorParallel: tp };
}
