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

// ── Adaptive KV precision (SERR-CASCADE L3) ──────────────────────────────────
// On top of a 16-bit cache, an instance may store most blocks in 8 bits and
// keep some in full precision: the first `anchorBlocks` of every sequence
// (attention sinks, the system prompt) and the blocks a request marks as
// evidence. Only the memory and bandwidth side is modelled here; what the
// quantisation does to answer quality is not (see docs/notes/kv-precision.md).

/**
 * Per-instance KV precision: "fp16" keeps every block at the cache's 16-bit
 * dtype (today's behaviour); the anchored modes quantise every block except
 * the anchors and evidence to 8 bits, FP8 E4M3 or INT8.
 */
export type KvPrecision = "fp16" | "fp8-anchored" | "int8-anchored";

export const KV_PRECISIONS: readonly KvPrecision[] = ["fp16", "fp8-anchored", "int8-anchored"];

/**
 * Leading blocks of every sequence kept at full precision in an anchored
 * mode: 4 blocks = 64 tokens at block size 16, room for the attention sinks
 * (StreamingLLM keeps 4 tokens) and a short system prompt.
 */
export const DEFAULT_ANCHOR_BLOCKS = 4;

/**
 * Bytes of one KV block of `blockSize` tokens stored in 8 bits, scales included.
 *   fp8  (E4M3): 1 byte per value; the scales are per tensor or per KV head
 *        and per layer (vLLM's k_scale / v_scale), a few KiB for the whole
 *        model, so nothing per block.
 *   int8: 1 byte per value plus a 16-bit scale and a 16-bit zero point per
 *        token, KV head, layer and K/V (LMDeploy's online asymmetric
 *        per-head per-token scheme; 2-byte scale and zero point are our
 *        assumption): 3.1% more than fp8 for Llama 3.
 */
export function quantisedKvBlockBytes(model: ModelSpec, blockSize: number, precision: Exclude<KvPrecision, "fp16">): number {
  const values = blockSize * kvBytesPerToken(model, "fp8");
  if (precision === "fp8-anchored") return values;
  const scaleAndZeroBytes = 2 + 2;
  return values + blockSize * 2 * model.layers * model.kvHeads * scaleAndZeroBytes;
}
