// The four deployments compared on the same arrivals: each tier's simulated
// instances (a @weir/sim preset × count) and how requests are routed.

import { TENSOR_PARALLEL_DEGREES, presetId as simPresetId, resolveInstanceConfig } from "@weir/sim";
import type { TierShape } from "../warmup-bench/warmup-sim.js";
import type { Routing } from "./bench-paths.js";

export interface BenchDeployment {
  name: string;
  /** One line saying what it is. */
  description: string;
  /** Instances per tier (small, large); 0 instances = the tier is not deployed. */
  small: TierShape;
  large: TierShape;
  routing: Routing;
}

/** "llama-3.1-70b" on 4 × "h100" → "llama-3.1-70b/h100x4" (any degree @weir/sim can build, or it throws). */
export function presetId(model: string, gpu: string, tensorParallel: number): string {
  const id = simPresetId(model, gpu, tensorParallel);
  resolveInstanceConfig({ preset: id });
  return id;
}

/** Smallest tensor-parallel degree at which the model's weights fit on this GPU with room for KV (vLLM's sizing). */
export function smallestFittingDegree(model: string, gpu: string): number {
  for (const tp of TENSOR_PARALLEL_DEGREES) {
    try {
      presetId(model, gpu, tp);
      return tp;
    } catch {
      // does not fit at this degree; try the next
    }
  }
  throw new RangeError(`${model} fits on no tensor-parallel group of up to 8 × ${gpu}`);
}

/** Most replicas of `model` at the smallest degree it fits on `gpus` GPUs (the most throughput per GPU). */
export function fill(model: string, gpu: string, gpus: number): TierShape {
  const tp = smallestFittingDegree(model, gpu);
  const instances = Math.floor(gpus / tp);
  if (instances < 1) throw new RangeError(`${model} needs ${tp} × ${gpu} per replica; ${gpus} GPUs hold none`);
  return { preset: presetId(model, gpu, tp), instances };
}

/** Single small, single large, and the static cascade on an even split; Weir's comes from the plan. */
export function baselineDeployments(gpus: number, gpu: string, models: { small: string; large: string }): BenchDeployment[] {
  const none = (model: string): TierShape => ({ preset: presetId(model, gpu, smallestFittingDegree(model, gpu)), instances: 0 });
  const half = Math.floor(gpus / 2);
  return [
    { name: "small-only", description: `every request on ${models.small}`, small: fill(models.small, gpu, gpus), large: none(models.large), routing: { kind: "only", tier: 0 } },
    { name: "large-only", description: `every request on ${models.large}`, small: none(models.small), large: fill(models.large, gpu, gpus), routing: { kind: "only", tier: 1 } },
    {
      name: "static-cascade",
      description: "every request starts small; the trained judge escalates at the artifact's thresholds; GPUs split evenly",
      small: fill(models.small, gpu, gpus - half),
      large: fill(models.large, gpu, half),
      routing: { kind: "static-cascade" },
    },
  ];
}
