// The latency model of the inner level: what a tier's traffic would see on a
// deployment option, from the sim engine in virtual time, cached.

import type { TraceRequest } from "@weir/datasets";
import type { GpuSpec, ModelSpec } from "@weir/sim";
import { type DeploymentOption, optionKey } from "./deployment-option.js";
import { LATENCY_MODEL_VERSION, LatencyCache } from "./latency-cache.js";
import { type LatencySlo, type TierLatency, summarizeRun } from "./latency-summary.js";
import { replicaConfig } from "./replica-config.js";
import { type ResolvedSimSettings, type SimSettings, resolveSimSettings, simSettingsKey } from "./sim-settings.js";
import { simulateReplicas } from "./simulate-replicas.js";
import { traceSpecs } from "@weir/sim";
import { trafficFingerprint } from "./traffic-fingerprint.js";

/** A tier's share of the traffic; the fingerprint is computed once and reused for every option. */
export interface TierTraffic {
  requests: readonly TraceRequest[];
  fingerprint: string;
}

export function tierTraffic(requests: readonly TraceRequest[]): TierTraffic {
  return { requests, fingerprint: trafficFingerprint(requests) };
}

export class TierLatencyModel {
  readonly settings: ResolvedSimSettings;
  readonly cache: LatencyCache;
  /** Runs simulated (cache misses) and served from the cache, since construction. */
  simulations = 0;
  cacheHits = 0;

  constructor(options: { settings?: SimSettings; cache?: LatencyCache } = {}) {
    this.settings = resolveSimSettings(options.settings);
    this.cache = options.cache ?? new LatencyCache();
  }

  /** Simulated figures of `traffic` on `option` replicas of `model` on `gpu`. */
  evaluate(model: ModelSpec, gpu: GpuSpec, option: DeploymentOption, traffic: TierTraffic, slo?: LatencySlo): TierLatency {
    const key = [
      `v${LATENCY_MODEL_VERSION}`,
      model.id,
      gpu.id,
      optionKey(option),
      simSettingsKey(this.settings),
      traffic.fingerprint,
    ].join("|");
    let run = this.cache.get(key);
    if (run === undefined) {
      const configs = Array.from({ length: option.replicas }, (_, i) =>
        replicaConfig(model, gpu, option.tensorParallel, this.settings, this.settings.seed * 1009 + i),
      );
      run = simulateReplicas(configs, traceSpecs(traffic.requests, configs[0]!.blockSize));
      this.cache.set(key, run);
      this.simulations++;
    } else {
      this.cacheHits++;
    }
    return summarizeRun(run, slo);
  }
}
