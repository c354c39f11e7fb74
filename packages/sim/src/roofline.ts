// Step time of one engine iteration from first principles: a batch is either
// memory-bound (every step streams all the weights plus the KV of every
// sequence from HBM) or compute-bound (2 FLOPs per active parameter per token,
// plus attention), whichever takes longer, plus fixed per-step and
// per-sequence CPU overheads and, with tensor parallelism, two all-reduces per
// layer.
//
//   step = stepOverhead + perSequenceOverhead × sequences
//        + max(memory, compute) + allReduce
//   memory  = (weightBytesRead / TP + kvBytesRead) / (HBM bandwidth × bandwidthEfficiency)
//   compute = (2 × activeParams × tokens + attentionFlops) / (TP × FLOP/s × computeEfficiency)
//   attentionFlops = 4 × layers × heads × headDim × Σ(context each token attends to)
//   allReduce = 2 × layers × (latency + ring bytes / (NVLink × allReduceBandwidthEfficiency))   (TP > 1)
//
// kvBytesRead is the whole group's KV of the step's sequences; it is split over
// the TP ranks like the weights (each rank holds kvHeads/TP heads). With a
// quantised KV cache (kvPrecision "fp8-anchored" / "int8-anchored") the
// tokens in quantised blocks cost their smaller size × (1 + quantisedKvReadOverhead):
//   kvBytesRead = fullTokens × full bytes/token + quantisedTokens × quantised bytes/token × (1 + overhead)
// Compute is unchanged (the kernel dequantises to BF16 and multiplies as before).

import type { GpuSpec } from "./hardware.js";
import { type KvCacheDtype, WEIGHT_BYTES_PER_PARAM, kvBytesPerToken, weightBytes } from "./kv-memory.js";
import { type ModelSpec, activeParams, expertFractionRead } from "./models.js";

/** The free constants of the roofline, fitted once to the anchors below. */
export interface RooflineCalibration {
  /** Fixed cost of every step: scheduling, input preparation, sampling, kernel launches (ms). */
  stepOverheadMs: number;
  /** Extra cost per sequence in the batch: sampling, detokenisation, output processing (ms). */
  perSequenceOverheadMs: number;
  /** Fraction of peak HBM bandwidth that decode kernels reach. */
  bandwidthEfficiency: number;
  /** Fraction of peak dense BF16 FLOP/s that prefill reaches (model FLOPs utilisation). */
  computeEfficiency: number;
  /** Latency of one small tensor-parallel all-reduce (ms). */
  allReduceLatencyMs: number;
  /** Fraction of NVLink bandwidth a ring all-reduce reaches on large messages. */
  allReduceBandwidthEfficiency: number;
  /**
   * Extra cost of reading a quantised KV block, as a fraction of its bytes:
   * the attention kernel's dequantisation (convert, scale, zero point) on the
   * way to the BF16 matmul. Used only with a quantised KV cache.
   */
  quantisedKvReadOverhead: number;
}

/**
 * Fitted to these anchors (vLLM on H100 SXM, BF16, published benchmarks):
 *   Llama-3.1-8B, 1×H100, batch 1:  inter-token latency ≈ 7 ms,
 *                                   prefill of 1k tokens ≈ 34 ms, of 8k ≈ 300 ms;
 *   Llama-3.1-70B, 4×H100 (TP4), batch 1: inter-token latency ≈ 16 ms.
 * The 8B decode anchor fixes bandwidthEfficiency with the overheads (16 GB of
 * weights / 3.35 TB/s = 4.8 ms at peak); the two prefill anchors fix
 * computeEfficiency and, through the 8k one, that attention FLOPs matter; the
 * 70B anchor fixes the all-reduce latency (160 all-reduces per step), which
 * agrees with NCCL's ~10 µs small-message latency on NVLink.
 */
export const DEFAULT_CALIBRATION: RooflineCalibration = {
  // Fitted to the anchors above.
  stepOverheadMs: 1.0,
  // Fitted to the anchors above (10 µs/sequence: 2.5 ms at a batch of 256).
  perSequenceOverheadMs: 0.01,
  // Fitted to the anchors above.
  bandwidthEfficiency: 0.8,
  // Fitted to the anchors above.
  computeEfficiency: 0.5,
  // Fitted to the anchors above.
  allReduceLatencyMs: 0.011,
  // nccl-tests all-reduce bus bandwidth on NVLink 4 reaches ≈ 80% of the link; not fitted.
  allReduceBandwidthEfficiency: 0.8,
  // An assumption, not fitted (no published per-kernel figure to anchor it):
  // fused dequantisation costs 10% on top of the halved bytes. 1 models
  // vLLM's older FP8 KV path, which "does not yet include fused
  // dequantization and attention" and so brought no latency gain (vLLM docs,
  // quantized KV cache).
  quantisedKvReadOverhead: 0.1,
};

/** What one step holds, summed over its sequences; filled by the scheduler without allocating. */
export interface StepShape {
  /** Sequences in the step (prefill chunks and decodes). */
  sequences: number;
  /** Tokens computed in the step: prefill chunk tokens + 1 per decode. */
  tokens: number;
  /** Σ over the step's tokens of the context each attends to (itself included). */
  attendedContext: number;
  /** Σ over sequences of their context length at the end of the step (KV read). */
  kvTokensRead: number;
}

export interface StepTimeModelInput {
  model: ModelSpec;
  gpu: GpuSpec;
  tensorParallel: number;
  kvCacheDtype: KvCacheDtype;
  calibration?: RooflineCalibration;
  /** Bytes per token of a quantised KV block, scales included; only with a quantised KV cache. */
  quantisedKvBytesPerToken?: number | undefined;
}

/** Step time of one engine iteration; pure, allocation-free. */
export class StepTimeModel {
  readonly calibration: RooflineCalibration;
  readonly #model: ModelSpec;
  readonly #tp: number;
  readonly #sharedWeightBytes: number;
  readonly #expertWeightBytes: number;
  readonly #kvBytesPerToken: number;
  /** Effective bytes per token read from a quantised block (dequantisation included). */
  readonly #quantisedKvReadBytesPerToken: number;
  readonly #flopsPerToken: number;
  readonly #attentionFlopsPerPair: number;
  readonly #bytesPerMs: number;
  readonly #flopsPerMs: number;
  readonly #nvlinkBytesPerMs: number;

  constructor(input: StepTimeModelInput) {
    const { model, gpu } = input;
    const c = (this.calibration = input.calibration ?? DEFAULT_CALIBRATION);
    this.#model = model;
    this.#tp = input.tensorParallel;
    const expertBytes = (model.moe?.expertParams ?? 0) * WEIGHT_BYTES_PER_PARAM;
    this.#expertWeightBytes = expertBytes;
    this.#sharedWeightBytes = weightBytes(model) - expertBytes;
    this.#kvBytesPerToken = kvBytesPerToken(model, input.kvCacheDtype);
    this.#quantisedKvReadBytesPerToken =
      (input.quantisedKvBytesPerToken ?? this.#kvBytesPerToken) * (1 + c.quantisedKvReadOverhead);
    this.#flopsPerToken = 2 * activeParams(model);
    // QK^T and attention × V: 2 matmuls × 2 FLOPs per multiply-add, per query head dimension.
    this.#attentionFlopsPerPair = 4 * model.layers * model.attentionHeads * model.headDim;
    this.#bytesPerMs = (gpu.hbmBandwidth * c.bandwidthEfficiency) / 1000;
    this.#flopsPerMs = (gpu.denseBf16Flops * c.computeEfficiency * this.#tp) / 1000;
    this.#nvlinkBytesPerMs = (gpu.nvlinkBandwidth * c.allReduceBandwidthEfficiency) / 1000;
  }

  /**
   * Milliseconds for a step of this shape; 0 for an empty step.
   * `quantisedKvTokensRead`: how many of shape.kvTokensRead sit in quantised blocks (0 at fp16).
   */
  stepTimeMs(shape: StepShape, quantisedKvTokensRead = 0): number {
    if (shape.sequences === 0) return 0;
    const c = this.calibration;
    let weightsRead = this.#sharedWeightBytes;
    if (this.#model.moe !== undefined) {
      weightsRead += this.#expertWeightBytes * expertFractionRead(this.#model.moe, shape.tokens);
    }
    let kvBytes = shape.kvTokensRead * this.#kvBytesPerToken;
    if (quantisedKvTokensRead > 0) {
      kvBytes =
        (shape.kvTokensRead - quantisedKvTokensRead) * this.#kvBytesPerToken +
        quantisedKvTokensRead * this.#quantisedKvReadBytesPerToken;
    }
    const bytesPerRank = (weightsRead + kvBytes) / this.#tp;
    const memoryMs = bytesPerRank / this.#bytesPerMs;
    const flops = this.#flopsPerToken * shape.tokens + this.#attentionFlopsPerPair * shape.attendedContext;
    const computeMs = flops / this.#flopsPerMs;
    return (
      c.stepOverheadMs +
      c.perSequenceOverheadMs * shape.sequences +
      Math.max(memoryMs, computeMs) +
      this.#allReduceMs(shape.tokens)
    );
  }

  /**
   * Two all-reduces per layer (after attention and after the MLP) of the
   * step's activations (tokens × hidden × 2 bytes); a ring moves 2(TP−1)/TP of
   * the message through each GPU's link.
   */
  #allReduceMs(tokens: number): number {
    if (this.#tp === 1) return 0;
    const messageBytes = tokens * this.#model.hiddenSize * 2;
    const ringBytes = (messageBytes * 2 * (this.#tp - 1)) / this.#tp;
    return 2 * this.#model.layers * (this.calibration.allReduceLatencyMs + ringBytes / this.#nvlinkBytesPerMs);
  }
}

/** A StepShape for a single sequence: a prefill chunk of `tokens` after `context` cached/computed tokens, or a decode (tokens = 1). */
export function singleSequenceShape(context: number, tokens: number): StepShape {
  return {
    sequences: 1,
    tokens,
    attendedContext: tokens * context + (tokens * (tokens + 1)) / 2,
    kvTokensRead: context + tokens,
  };
}
