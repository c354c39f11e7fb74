// Everything that defines one simulated engine instance, with vLLM's defaults,
// resolved from a preset name and a few overrides.

import { KvBlockLayout } from "./kv-block-layout.js";
import {
  DEFAULT_ANCHOR_BLOCKS,
  KV_PRECISIONS,
  type KvCacheDtype,
  type KvPrecision,
  kvBytesPerToken,
  kvCapacityTokens,
} from "./kv-memory.js";
import { type Preset, getPreset } from "./presets.js";
import { DEFAULT_CALIBRATION, type RooflineCalibration, StepTimeModel } from "./roofline.js";

export interface SimInstanceOptions {
  /** A preset id from listPresets(), e.g. "llama-3.1-8b/h100". */
  preset: string;
  /** Seed of the step-time jitter. Default 0. */
  seed?: number | undefined;
  /** vLLM --max-num-seqs. Default 256. */
  maxNumSeqs?: number | undefined;
  /** vLLM --max-num-batched-tokens (chunked-prefill budget per step). Default 8192. */
  maxNumBatchedTokens?: number | undefined;
  /** Tokens per KV block. Default 16, as vLLM and @weir/tokens. */
  blockSize?: number | undefined;
  /** vLLM --gpu-memory-utilization. Default 0.9. */
  gpuMemoryUtilization?: number | undefined;
  /** vLLM --kv-cache-dtype. Default "bf16". */
  kvCacheDtype?: KvCacheDtype | undefined;
  /**
   * Adaptive KV precision (SERR-CASCADE L3). "fp16" (default): every block
   * at kvCacheDtype, as vLLM. "fp8-anchored" / "int8-anchored": on a BF16
   * cache, blocks are quantised to 8 bits once written, except the first
   * anchorBlocks of every sequence and the requests' evidence ranges. Models
   * capacity and KV read time only, not answer quality.
   */
  kvPrecision?: KvPrecision | undefined;
  /** Leading blocks of every sequence kept at full precision in an anchored mode. Default 4 (64 tokens). */
  anchorBlocks?: number | undefined;
  /**
   * Overrides the computed KV capacity, in tokens (to model memory pressure
   * in tests); with a quantised kvPrecision, the memory of that many 16-bit tokens.
   */
  kvCapacityTokens?: number | undefined;
  /** Log-space sigma of the lognormal step-time jitter. Default 0.02 (±2%); 0 = none. */
  jitter?: number | undefined;
  /** Overrides of the fitted roofline constants. */
  calibration?: Partial<RooflineCalibration> | undefined;
  /** Written into KV events. */
  tier?: string | undefined;
  instanceId?: string | undefined;
}

export const SIM_DEFAULTS = {
  seed: 0,
  maxNumSeqs: 256,
  maxNumBatchedTokens: 8192,
  blockSize: 16,
  gpuMemoryUtilization: 0.9,
  kvCacheDtype: "bf16" as KvCacheDtype,
  kvPrecision: "fp16" as KvPrecision,
  anchorBlocks: DEFAULT_ANCHOR_BLOCKS,
  jitter: 0.02,
  tier: "sim",
} as const;

export interface InstanceConfig {
  readonly preset: Preset;
  readonly seed: number;
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly blockSize: number;
  readonly kvCacheDtype: KvCacheDtype;
  /** Bytes per token at full precision (kvCacheDtype). */
  readonly kvBytesPerToken: number;
  readonly kvPrecision: KvPrecision;
  readonly anchorBlocks: number;
  /** Block sizes per precision and the capacity they give (kv-block-layout.ts). */
  readonly kvLayout: KvBlockLayout;
  /**
   * KV capacity in full-precision blocks: floor(capacity tokens / block
   * size). A quantised kvPrecision holds up to ≈ 2× as many blocks in the
   * same memory; the pool and the engine's load count in these units.
   */
  readonly numBlocks: number;
  /** Longest prompt + output one request may have: the model's context, or the whole KV cache if smaller. */
  readonly maxModelLen: number;
  readonly jitter: number;
  readonly stepTime: StepTimeModel;
  readonly tier: string;
  readonly instanceId: string | undefined;
}

export function resolveInstanceConfig(options: SimInstanceOptions): InstanceConfig {
  const d = SIM_DEFAULTS;
  const preset = getPreset(options.preset);
  const blockSize = positiveInteger("blockSize", options.blockSize ?? d.blockSize);
  const kvCacheDtype = options.kvCacheDtype ?? d.kvCacheDtype;
  if (kvCacheDtype !== "bf16" && kvCacheDtype !== "fp8") {
    throw new RangeError(`kvCacheDtype must be "bf16" or "fp8", got ${String(kvCacheDtype)}`);
  }
  const kvPrecision = options.kvPrecision ?? d.kvPrecision;
  if (!KV_PRECISIONS.includes(kvPrecision)) {
    throw new RangeError(`kvPrecision must be one of ${KV_PRECISIONS.map((p) => `"${p}"`).join(", ")}, got ${String(kvPrecision)}`);
  }
  if (kvPrecision !== "fp16" && kvCacheDtype !== "bf16") {
    throw new RangeError(
      `kvPrecision "${kvPrecision}" quantises a 16-bit cache and keeps its anchors at 16 bits: use kvCacheDtype "bf16", not "${kvCacheDtype}"`,
    );
  }
  const anchorBlocks = options.anchorBlocks ?? d.anchorBlocks;
  if (!Number.isInteger(anchorBlocks) || anchorBlocks < 0) {
    throw new RangeError(`anchorBlocks must be a whole number ≥ 0, got ${anchorBlocks}`);
  }
  const gpuMemoryUtilization = options.gpuMemoryUtilization ?? d.gpuMemoryUtilization;
  if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
    throw new RangeError(`gpuMemoryUtilization must be in (0, 1], got ${gpuMemoryUtilization}`);
  }
  const capacity =
    options.kvCapacityTokens ??
    kvCapacityTokens({
      model: preset.model,
      gpu: preset.gpu,
      tensorParallel: preset.tensorParallel,
      gpuMemoryUtilization,
      kvCacheDtype,
    });
  const numBlocks = Math.floor(positiveInteger("kvCapacityTokens", capacity) / blockSize);
  if (numBlocks < 1) throw new RangeError(`kvCapacityTokens (${capacity}) must hold at least one block of ${blockSize}`);
  const jitter = options.jitter ?? d.jitter;
  if (!(jitter >= 0)) throw new RangeError(`jitter must be ≥ 0, got ${jitter}`);
  const fullBytesPerToken = kvBytesPerToken(preset.model, kvCacheDtype);
  const kvLayout = new KvBlockLayout({ model: preset.model, blockSize, precision: kvPrecision, anchorBlocks, numBlocks, fullBytesPerToken });
  return {
    preset,
    seed: options.seed ?? d.seed,
    maxNumSeqs: positiveInteger("maxNumSeqs", options.maxNumSeqs ?? d.maxNumSeqs),
    maxNumBatchedTokens: positiveInteger("maxNumBatchedTokens", options.maxNumBatchedTokens ?? d.maxNumBatchedTokens),
    blockSize,
    kvCacheDtype,
    kvBytesPerToken: fullBytesPerToken,
    kvPrecision,
    anchorBlocks,
    kvLayout,
    numBlocks,
    maxModelLen: Math.min(preset.model.maxModelLen, numBlocks * blockSize),
    jitter,
    stepTime: new StepTimeModel({
      model: preset.model,
      gpu: preset.gpu,
      tensorParallel: preset.tensorParallel,
      kvCacheDtype,
      quantisedKvBytesPerToken: kvLayout.quantises ? kvLayout.quantisedBytesPerToken : undefined,
      calibration: { ...DEFAULT_CALIBRATION, ...definedOnly(options.calibration ?? {}) },
    }),
    tier: options.tier ?? d.tier,
    instanceId: options.instanceId,
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
