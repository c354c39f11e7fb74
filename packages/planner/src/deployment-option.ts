// The ways one tier can be deployed on GPUs of one kind: a tensor-parallel
// degree whose group holds the weights and still leaves room for a useful KV
// cache, times a number of identical replicas. These are the columns the
// inner MILP chooses from.

import { type GpuSpec, type KvCacheDtype, type ModelSpec, kvCapacityTokens } from "@weir/sim";

export interface DeploymentOption {
  /** GPUs in each replica's tensor-parallel group. */
  tensorParallel: number;
  replicas: number;
  /** tensorParallel × replicas. */
  gpus: number;
  /** KV cache of one replica, in tokens (vLLM's sizing, as @weir/sim computes it). */
  kvCapacityTokens: number;
}

/** vLLM's tensor-parallel degrees within one 8-GPU node. */
export const DEFAULT_TENSOR_PARALLEL_DEGREES: readonly number[] = [1, 2, 4, 8];

/**
 * Least KV cache (tokens) a replica must have to count as "fits": a deployment
 * whose weights leave room for only a few requests is useless. vLLM itself
 * refuses to start when the cache cannot hold one max-length request; callers
 * with traffic should pass at least their longest request (planDeployment does).
 */
export const DEFAULT_MIN_KV_TOKENS = 16_384;

export interface EnumerateOptionsInput {
  model: ModelSpec;
  gpu: GpuSpec;
  /** Largest number of GPUs an option may use. */
  maxGpus: number;
  tensorParallelDegrees?: readonly number[];
  minKvTokens?: number;
  gpuMemoryUtilization?: number;
  kvCacheDtype?: KvCacheDtype;
}

/** Stable short name of an option, e.g. "tp2x3" (3 replicas of TP2). */
export function optionKey(o: Pick<DeploymentOption, "tensorParallel" | "replicas">): string {
  return `tp${o.tensorParallel}x${o.replicas}`;
}

/**
 * The KV capacity of one replica at this degree, or undefined when the weights
 * plus minKvTokens of KV do not fit, or the degree does not divide the
 * attention heads (vLLM requires it).
 */
export function replicaKvCapacity(
  input: Omit<EnumerateOptionsInput, "maxGpus" | "tensorParallelDegrees">,
  tensorParallel: number,
): number | undefined {
  const { model, gpu } = input;
  if (!Number.isInteger(tensorParallel) || tensorParallel < 1 || model.attentionHeads % tensorParallel !== 0) {
    return undefined;
  }
  let capacity: number;
  try {
    capacity = kvCapacityTokens({
      model,
      gpu,
      tensorParallel,
      gpuMemoryUtilization: input.gpuMemoryUtilization ?? 0.9,
      kvCacheDtype: input.kvCacheDtype ?? "bf16",
    });
  } catch {
    return undefined; // the weights alone do not fit
  }
  return capacity >= (input.minKvTokens ?? DEFAULT_MIN_KV_TOKENS) ? capacity : undefined;
}

/** Every (degree that fits) × (replicas) with at most maxGpus GPUs, fewest GPUs first. */
export function enumerateDeploymentOptions(input: EnumerateOptionsInput): DeploymentOption[] {
  const options: DeploymentOption[] = [];
  for (const tp of input.tensorParallelDegrees ?? DEFAULT_TENSOR_PARALLEL_DEGREES) {
    const kv = replicaKvCapacity(input, tp);
    if (kv === undefined) continue;
    for (let replicas = 1; replicas * tp <= input.maxGpus; replicas++) {
      options.push({ tensorParallel: tp, replicas, gpus: tp * replicas, kvCapacityTokens: kv });
    }
  }
  return options.sort((a, b) => a.gpus - b.gpus || a.tensorParallel - b.tensorParallel);
}

/** Fewest GPUs any deployment of this model needs (Infinity when none fits). */
export function minimumGpus(input: Omit<EnumerateOptionsInput, "maxGpus">): number {
  const fitting = (input.tensorParallelDegrees ?? DEFAULT_TENSOR_PARALLEL_DEGREES).filter(
    (tp) => replicaKvCapacity(input, tp) !== undefined,
  );
  return fitting.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...fitting);
}
