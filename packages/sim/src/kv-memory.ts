// How much memory the weights take and how many tokens of KV cache fit in the
// rest: vLLM's sizing (gpu_memory_utilization × total memory, minus weights,
// minus the activation peak it profiles, all left to KV blocks).

import type { GpuSpec } from "./hardware.js";
import type { ModelSpec } from "./models.js";

/** Precision of the KV cache: BF16 (vLLM's default "auto") or FP8 (--kv-cache-dtype fp8). */
export type KvCacheDtype = "bf16" | "fp8";

/** Weights are served in BF16: 2 bytes per parameter. */
export const WEIGHT_BYTES_PER_PARAM = 2;

/**
 * Memory vLLM keeps back per GPU beside weights and KV: the activation peak of
 * its profiling run (max_num_batched_tokens at once), CUDA graphs, NCCL and
 * allocator slack. 3 GiB: fitted to the anchor "Llama-3.1-8B on one H100 at
 * 0.9 utilisation holds ≈ 440k tokens of KV" (vLLM's startup log figure).
 */
export const ACTIVATION_RESERVE_BYTES_PER_GPU = 3 * 1024 ** 3;

export function weightBytes(model: ModelSpec): number {
  return model.totalParams * WEIGHT_BYTES_PER_PARAM;
}

/** K and V, every layer, every KV head: 2 × layers × kvHeads × headDim × bytes per element. */
export function kvBytesPerToken(model: ModelSpec, dtype: KvCacheDtype = "bf16"): number {
  const bytesPerElement = dtype === "fp8" ? 1 : 2;
  return 2 * model.layers * model.kvHeads * model.headDim * bytesPerElement;
}

export interface KvCapacityInput {
  model: ModelSpec;
  gpu: GpuSpec;
  tensorParallel: number;
  /** Fraction of each GPU's memory vLLM may use (--gpu-memory-utilization). */
  gpuMemoryUtilization: number;
  kvCacheDtype: KvCacheDtype;
  activationReserveBytesPerGpu?: number;
}

/**
 * Tokens of KV cache across the tensor-parallel group:
 * (memory × TP × utilisation − weights − reserve × TP) / KV bytes per token.
 * Throws when the weights do not fit at all.
 */
export function kvCapacityTokens(input: KvCapacityInput): number {
  const { model, gpu, tensorParallel: tp, gpuMemoryUtilization: util } = input;
  const reserve = (input.activationReserveBytesPerGpu ?? ACTIVATION_RESERVE_BYTES_PER_GPU) * tp;
  const budget = gpu.memoryBytes * tp * util - weightBytes(model) - reserve;
  if (budget <= 0) {
    throw new RangeError(
      `${model.name} does not fit on ${tp}× ${gpu.name} at gpuMemoryUtilization ${util}: ` +
        "use more GPUs or a higher utilisation",
    );
  }
  return Math.floor(budget / kvBytesPerToken(model, input.kvCacheDtype));
}
