// Drives the simulator with a @weir/placement policy, the very code the
// scheduler service places production traffic with: each arrival sees every
// simulated instance as a heartbeat would describe it (live-instance-of-
// core.ts) and, for policies that use the prefix index, the cached blocks a
// global KV index would report (each instance's longest cached prefix of
// the prompt). Length-aware policies also get the migration hook and learn
// output lengths from completed requests.

import type { LiveInstance, PlacementDecision, PlacementPolicy, PlacementRequest } from "@weir/placement";
import type { EngineCore, Placement, VirtualClusterOptions } from "@weir/sim";
import { liveInstanceOfCore } from "./live-instance-of-core.js";

type MigrationHook = NonNullable<VirtualClusterOptions["migrate"]>;
type MigrateAnswer = ReturnType<MigrationHook>;

export interface PolicyPlacement {
  placement: Placement;
  /** Set when the policy can migrate and migration is on: pass as VirtualClusterOptions.migrate. */
  migrate?: MigrationHook;
  /** Call with every finished request (feeds the policy's output-length estimate). */
  observe(promptTokens: number, outputTokens: number): void;
  /** Placements the policy refused (none eligible): they went to the least-loaded instance instead. */
  readonly refusals: number;
}

export interface PolicyPlacementOptions {
  /** Move requests whose context outgrows their length group (policies with migrationTarget only). Default true. */
  migration?: boolean;
  /** Give the policy each request's true output length as its prediction (an oracle; default: the policy estimates). */
  oracleOutputLengths?: boolean;
}

/** The sim's Placement (and migration hook) for a policy, over cores whose configs carry instance ids. */
export function policyPlacement(policy: PlacementPolicy, cores: readonly EngineCore[], options: PolicyPlacementOptions = {}): PolicyPlacement {
  const indexOf = new Map<string, number>();
  cores.forEach((c, i) => {
    const id = c.config.instanceId;
    if (id === undefined || id === "") throw new Error(`sim-bench: instance ${i} has no instanceId`);
    if (indexOf.has(id)) throw new Error(`sim-bench: instance id ${id} is used twice`);
    indexOf.set(id, i);
  });
  const tier = cores[0]!.config.tier;
  const blockSize = cores[0]!.config.blockSize;
  let refusals = 0;

  const live = (nowMs: number): LiveInstance[] => cores.map((c) => liveInstanceOfCore(c, nowMs));
  const cachedBlocks = (hashes: readonly bigint[]): Map<string, number> | undefined => {
    if (!policy.usesPrefixIndex || hashes.length === 0) return undefined;
    const m = new Map<string, number>();
    cores.forEach((c, i) => {
      const blocks = c.matchPrefix(hashes);
      if (blocks > 0) m.set(c.config.instanceId ?? String(i), blocks);
    });
    return m;
  };
  const request = (promptTokens: number, outputTokens: number, hashes: readonly bigint[]): PlacementRequest => {
    const cached = cachedBlocks(hashes);
    return {
      tier,
      promptTokens,
      blockSize,
      ...(options.oracleOutputLengths === true ? { predictedOutputTokens: outputTokens } : {}),
      ...(cached ? { cachedBlocks: cached } : {}),
    };
  };
  const migrationTarget = policy.migrationTarget?.bind(policy);
  const migrating = migrationTarget !== undefined && options.migration !== false;
  const answer = (d: PlacementDecision): { instance: number; migrateAbove?: number } => {
    const instance = indexOf.get(d.instance.instanceId)!;
    return migrating && d.lengthGroupMaxTokens !== undefined ? { instance, migrateAbove: d.lengthGroupMaxTokens } : { instance };
  };

  const placement: Placement = (req, _instances, nowMs) => {
    const instances = live(nowMs);
    const d = policy.pick(instances, request(req.spec.promptTokens, req.spec.outputTokens, req.blockHashes));
    if (d !== undefined) return answer(d);
    // Never drop a trace request: with nothing eligible, fall back to the least loaded.
    refusals++;
    return leastLoadedIndex(instances);
  };

  const migrate: MigrationHook | undefined =
    migrating
      ? (req, _instances, nowMs): MigrateAnswer => {
          const from = cores[req.from]!.config.instanceId!;
          const base = request(req.contextTokens, req.spec.outputTokens - req.generatedTokens, req.blockHashes);
          const d = migrationTarget!(live(nowMs), { ...base, currentInstanceId: from, contextTokens: req.contextTokens });
          return d === undefined ? undefined : answer(d);
        }
      : undefined;

  return {
    placement,
    ...(migrate ? { migrate } : {}),
    observe(promptTokens, outputTokens) {
      policy.observe?.({ tier, promptTokens }, outputTokens);
    },
    get refusals() {
      return refusals;
    },
  };
}

function leastLoadedIndex(instances: readonly LiveInstance[]): number {
  let best = 0;
  let bestLoad = Number.POSITIVE_INFINITY;
  instances.forEach((i, k) => {
    const load = (i.running + i.waiting) / Math.max(1, i.maxConcurrency);
    if (load < bestLoad) {
      best = k;
      bestLoad = load;
    }
  });
  return best;
}
