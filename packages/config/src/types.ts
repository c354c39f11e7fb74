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
  router: { policy: "static-ladder" };
  judge: {
    scorer: "placeholder";
    /** A fixed score for every answer, to force (≤ threshold) or prevent escalation. */
    placeholderScore?: number;
  };
  scheduler: {
    policy: "least-loaded";
    /** A worker silent for this long is taken out of placement. */
    heartbeatTimeoutMs: number;
  };
  worker: { heartbeatIntervalMs: number };
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
  };
}
