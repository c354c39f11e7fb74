import type { LengthGroupPlanner } from "./length-group-planner.js";
import type { LiveInstance } from "./live-instance.js";

// The contract every placement policy meets, shared by the scheduler service
// (over live heartbeats and the global KV index) and by sim-bench (over
// simulated instances in virtual time), so the benchmark measures the very
// code that places production traffic.

export const PLACEMENT_POLICY_NAMES = [
  "round-robin",
  "least-loaded",
  "prefix-aware",
  "length-aware",
  "prefix-length-aware",
] as const;
export type PlacementPolicyName = (typeof PLACEMENT_POLICY_NAMES)[number];

export function isPlacementPolicyName(name: string): name is PlacementPolicyName {
  return (PLACEMENT_POLICY_NAMES as readonly string[]).includes(name);
}

/** One generation to place, as the policy sees it. */
export interface PlacementRequest {
  tier: string;
  promptTokens: number;
  /** Predicted output tokens; undefined or 0 = unknown (the policy estimates). */
  predictedOutputTokens?: number;
  /** Tokens per KV block (to turn cached blocks into tokens). */
  blockSize: number;
  /** Leading prompt blocks each instance holds (from the prefix index); absent = unknown. */
  cachedBlocks?: ReadonlyMap<string, number>;
  /** Instances not to use (e.g. already tried by this request). */
  exclude?: readonly string[];
  /** A warm-up (escalation prefill): best effort, never onto a busy instance. */
  warmup?: boolean;
}

export interface PlacementDecision {
  instance: LiveInstance;
  /** Prompt blocks the chosen instance is believed to hold. */
  cachedBlocks: number;
  /** The length group the instance belongs to, when the tier is partitioned. */
  lengthGroup?: string;
  /**
   * Upper bound (tokens) of that group's length range; absent when the group
   * is unbounded or the tier not partitioned. A request whose context grows
   * past it is due to migrate (see PlacementPolicy.migrationTarget).
   */
  lengthGroupMaxTokens?: number;
  /** One sentence: why this instance. */
  reason: string;
}

export interface PlacementPolicy {
  readonly name: PlacementPolicyName;
  /** Whether pick() uses cachedBlocks: the scheduler asks the KV index only when true. */
  readonly usesPrefixIndex: boolean;
  /** The instance to place on, or undefined when none is eligible. */
  pick(instances: readonly LiveInstance[], req: PlacementRequest): PlacementDecision | undefined;
  /**
   * Feeds back how many tokens a placed request produced, so policies that
   * estimate output lengths (length-aware) learn them. Optional: absent on
   * policies that do not care.
   */
  observe?(req: Pick<PlacementRequest, "tier" | "promptTokens">, outputTokens: number): void;
  /**
   * For a running request whose context has grown past its length group's
   * upper bound (lengthGroupMaxTokens): the instance of a longer group to
   * move it to, or undefined to leave it where it is. Only length-aware
   * policies have it.
   */
  migrationTarget?(instances: readonly LiveInstance[], req: MigrationRequest): PlacementDecision | undefined;
  /** The planner partitioning tiers into length groups (length-aware policies), to share its plans. */
  readonly lengthGroups?: LengthGroupPlanner;
}

/** A running request that outgrew its length group, as migrationTarget() sees it. */
export interface MigrationRequest extends PlacementRequest {
  /** The instance it runs on now (never the answer). */
  currentInstanceId: string;
  /** Its context now: prompt + tokens generated so far. */
  contextTokens: number;
}
