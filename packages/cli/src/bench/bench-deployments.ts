// The four deployments compared on the same arrivals: each tier's simulated
// instances (a @weir/sim preset × count) and how requests are routed.

import { getPreset } from "@weir/sim";
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

/** "llama-3.1-70b" on 4 × "h100" → "llama-3.1-70b/h100x4" (a preset @weir/sim has, or it throws). */
export function presetId(model: string, gpu: string, tensorParallel: number): string {
  return getPreset(tensorParallel === 1 ? `${model}/${gpu}` : `${model}/${gpu}x${tensorParallel}`).id;
}

/** Smallest tensor-parallel degree of a preset @weir/sim has for this model and GPU. */
export function smallestPresetDegree(model: string, gpu: string): number {
  for (const tp of [1, 2, 4, 8]) {
    try {
      presetId(model, gpu, tp);
      return tp;
    } catch {
      // no preset at this degree; try the next
    }
  }
  throw new RangeError(`@weir/sim has no preset of ${model} on ${gpu}`);
}

/** Most replicas of `model` at its smallest preset degree on `gpus` GPUs. */
export function fill(model: string, gpu: string, gpus: number): TierShape {
  const tp = smallestPresetDegree(model, gpu);
  const instances = Math.floor(gpus / tp);
  if (instances < 1) throw new RangeError(`${model} needs ${tp} × ${gpu} per replica; ${gpus} GPUs hold none`);
  return { preset: presetId(model, gpu, tp), instances };
}

/** Single small, single large, and the static cascade on an even split; Weir's comes from the plan. */
export function baselineDeployments(gpus: number, gpu: string, models: { small: string; large: string }): BenchDeployment[] {
  const none = (model: string): TierShape => ({ preset: presetId(model, gpu, smallestPresetDegree(model, gpu)), instances: 0 });
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
