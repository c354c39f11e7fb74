/**
 * The validated configuration of a Weir deployment: one weir.yaml, read at
 * boot by every service. The repository's weir.yaml documents every field.
 */
export interface WeirConfig {
  /** The model tiers, cheapest first: their order is the default cascade ladder. */
  tiers: TierConfig[];
  /** Latency objectives, in milliseconds. */
  slo: { ttftMs: number; tpotMs: number; e2eMs: number };
  gateway: {
    host: string;
    httpPort: number;
    grpcPort: number;
    /** Largest request body the HTTP API accepts. */
    maxBodyBytes: number;
    /** A request still running after this long is cancelled. */
    requestTimeoutMs: number;
  };
  router: {
    /** static-ladder: every tier in order; learned: clusters + budget from a trained artifact. */
    policy: "static-ladder" | "learned";
    /** Directory holding routing.json (weir train); relative paths are relative to weir.yaml. */
    artifacts?: string;
    /** Budget β overriding the artifact's (accuracy − β × normalised cost). */
    budget?: number;
    /** Escalation warm-up: which plans ask to prefill the next rung's tier while the current one answers. Unset: none. */
    warmUp?: {
      /** static-ladder: never, or always on every rung after the first. */
      staticLadder: "never" | "always";
      /** learned: warm rung i+1 when rung i's predicted acceptance is below this (0 = never, 1 = always). */
      acceptBelow: number;
    };
  };
  judge: {
    /** placeholder: heuristic; trained: the artifact's calibrated QE; llm: a judge model. */
    scorer: "placeholder" | "trained" | "llm";
    /** A fixed score for every answer, to force (≤ threshold) or prevent escalation (scorer placeholder). */
    placeholderScore?: number;
    /** Directory holding routing.json (scorer trained); relative paths are relative to weir.yaml. */
    artifacts?: string;
    /** The judge model (scorer llm). */
    llm?: { baseUrl: string; model: string; rubric?: string };
  };
  scheduler: {
    /** The placement policy of every tier not named in tierOverrides. */
    policy: PlacementPolicyName;
    /** Tiers that place with another policy. */
    tierOverrides: { name: string; policy: PlacementPolicyName }[];
    /** Knobs of the placement policies; unset ones take @weir/placement's defaults. */
    policyOptions: PlacementPolicyConfig;
    /** A worker silent for this long is taken out of placement. */
    heartbeatTimeoutMs: number;
    /** Escalation warm-ups one tier may have in flight (0: every warm-up is refused). */
    maxWarmupsInFlight: number;
    /** How long a placed warm-up counts as in flight (the scheduler never sees it end). */
    warmupLeaseMs: number;
  };
  worker: {
    heartbeatIntervalMs: number;
    /** Requests a worker queues beyond its running ones before refusing with RESOURCE_EXHAUSTED (0: no bound). */
    maxWaiting: number;
  };
  nats: { url: string };
}

/** One model tier: a model, its price, and how many workers serve it. */
export interface TierConfig {
  /** Lower-case [a-z0-9-]+, unique, never "weir-auto". */
  name: string;
  model: string;
  engine: "placeholder" | "sim" | "openai";
  /** USD per million tokens. */
  pricing: { inputPerMTok: number; outputPerMTok: number };
  replicas: number;
  /** Accept threshold for the judge's score when this tier is a non-final rung. */
  qeThreshold: number;
  engineOptions: {
    tokenDelayMs: number;
    maxConcurrency: number;
    /** Base URL of the OpenAI-compatible server (engine "openai" only). */
    baseUrl?: string;
    /** Simulated model and hardware, e.g. "llama-3.1-8b/h100" (engine "sim"; required there). */
    preset?: string;
    /** How many times faster than the modelled hardware the simulation runs (engine "sim"). */
    speedup: number;
    /** The simulator's random seed (engine "sim"); unset: its default. */
    seed?: number;
    /** vLLM's max_num_seqs (engine "sim"); unset: the preset's. */
    maxNumSeqs?: number;
    /** vLLM's max_num_batched_tokens (engine "sim"); unset: the preset's. */
    maxNumBatchedTokens?: number;
    /** Replay a dataset's recorded answers of one model (engine "sim"). */
    replay?: { dataset: "gsm8k" | "mmlu"; model: string };
    /** KV precision of every instance (engine "sim"): fp16, or 8-bit blocks with 16-bit anchors and evidence; unset: fp16. */
    kvPrecision?: "fp16" | "fp8-anchored" | "int8-anchored";
    /** Leading KV blocks of every sequence kept at 16 bits in an anchored kvPrecision (engine "sim"); unset: 4. */
    anchorBlocks?: number;
    /** The model name sent upstream (engine "openai"); unset: the tier's model. */
    upstreamModel?: string;
    /** The environment variable holding the upstream's API key (engine "openai"); unset: no key. */
    apiKeyEnv?: string;
    /** Upstream timeouts in ms (engine "openai"). */
    timeouts: { connectMs: number; firstTokenMs: number; idleMs: number };
    /** Retries before the first token (engine "openai"). */
    retries: number;
  };
}

/** The placement policies (the same names as @weir/placement's PLACEMENT_POLICY_NAMES). */
export type PlacementPolicyName = "round-robin" | "least-loaded" | "prefix-aware" | "length-aware" | "prefix-length-aware";

/** scheduler.policyOptions: @weir/placement's PlacementPolicyOptions, as weir.yaml spells them. */
export interface PlacementPolicyConfig {
  /** Warm-ups go only to instances whose load is below this. */
  warmupMaxLoad?: number;
  /** Warm-ups go only to instances with at most this many prompt tokens queued for prefill. */
  warmupMaxQueuedPrefillTokens?: number;
  /** prefix-aware cost weights. */
  prefix?: { decodeLoadTokens?: number; queuedPrefillWeight?: number; overloadCutoff?: number };
  /** length-aware grouping. */
  lengthGroups?: {
    groups?: number;
    window?: number;
    replanEvery?: number;
    driftThreshold?: number;
    driftCheckEvery?: number;
    minSamples?: number;
    attentionTokens?: number;
    spillRatio?: number;
    spillMargin?: number;
  };
  /** length-aware: the output-length estimate used when a request carries no prediction. */
  outputLength?: { defaultOutputTokens?: number; alpha?: number };
}
