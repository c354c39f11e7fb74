/**
 * Every span attribute name Weir sets, declared once so that services agree
 * on spelling (the opentelemetry-demo "telemetry-schema" idea).
 *
 * `gen_ai.*` names follow the OpenTelemetry GenAI semantic conventions
 * (semconv 1.38; `gen_ai.provider.name` replaced `gen_ai.system` there);
 * `messaging.*`, `rpc.*`, `http.*` and `error.type` are the standard
 * OpenTelemetry names; everything else is `weir.*`. The names are literals
 * rather than imports from `@opentelemetry/semantic-conventions/incubating`,
 * whose experimental constants may change in a minor release; a test pins
 * them to that package instead.
 *
 * Keys are short camelCase names for what the value means (`Attr.inputTokens`,
 * `Attr.escalated`), not the attribute names respelled.
 *
 * Use: `span.setAttribute(Attr.qeScore, 0.82)`. `attributeTable()` renders
 * this registry as a markdown table for the docs.
 */
export const Attr = {
  // OpenTelemetry GenAI conventions.
  /** The GenAI operation: "chat" for chat completions, "text_completion" for completions. */
  operation: "gen_ai.operation.name",
  /** Who served the model: "weir" for Weir's built-in engines, else the upstream provider (e.g. "openai"). */
  provider: "gen_ai.provider.name",
  /** The model the client asked for: "weir-auto" or a tier's model. */
  requestModel: "gen_ai.request.model",
  /** The model that produced the answer the client received. */
  responseModel: "gen_ai.response.model",
  /** The most tokens the client allowed in the answer. */
  maxTokens: "gen_ai.request.max_tokens",
  /** The sampling temperature the client asked for. */
  temperature: "gen_ai.request.temperature",
  /** Why generation stopped, one entry per choice ("stop", "length"). */
  finishReasons: "gen_ai.response.finish_reasons",
  /** Prompt tokens the model read. */
  inputTokens: "gen_ai.usage.input_tokens",
  /** Tokens the model generated. */
  outputTokens: "gen_ai.usage.output_tokens",
  /** Id of the completion returned to the client (e.g. "chatcmpl-…"). */
  responseId: "gen_ai.response.id",

  // Weir's own attributes.
  /** Weir's id for one client request, the same on every span and log line about it. */
  requestId: "weir.request_id",
  /** Whether the client asked for a streamed (server-sent events) response. */
  stream: "weir.stream",
  /** Name of the model tier (from weir.yaml) that a step, placement or worker serves. */
  tier: "weir.tier",
  /** Id of the model-worker instance that generated the tokens. */
  instanceId: "weir.instance_id",
  /** Tiers the request visited, in order (e.g. ["small", "large"]). */
  cascadePath: "weir.cascade.path",
  /** True when the answer came from a later rung than the first tier tried. */
  escalated: "weir.cascade.escalated",
  /** Position of a step on the cascade ladder, counting from 0. */
  cascadeStep: "weir.cascade.step",
  /** Quality estimate of a step's answer: the probability in [0, 1] that it is acceptable. */
  qeScore: "weir.qe.score",
  /** The score at or above which a step's answer is accepted. */
  qeThreshold: "weir.qe.threshold",
  /** Whether the judge accepted the step's answer (false means escalate). */
  qeAccepted: "weir.qe.accepted",
  /** Which scorer produced weir.qe.score (e.g. "placeholder"). */
  qeScorer: "weir.qe.scorer",
  /** Cost in USD at the tier prices in weir.yaml (summed over steps on the cascade span). */
  costUsd: "weir.cost_usd",
  /** The routing policy that made the plan (e.g. "static-ladder"). */
  routePolicy: "weir.route.policy",
  /** Why the router chose this ladder, as a short phrase. */
  routeReason: "weir.route.reason",
  /** L2: the request's weighted risk, carried risk included (0..1). */
  routeRiskScore: "weir.route.risk.score",
  /** L2: the risk rules (categories) behind the score, comma-separated (e.g. "medical-dosage"). */
  routeRiskRules: "weir.route.risk.rules",
  /** L2: whether the risk overrode the plan (strongest tier or a stricter QE threshold). */
  routeRiskOverridden: "weir.route.risk.overridden",
  /** L0: whether the turn was answered from the conversation's stored state without generation. */
  routeReused: "weir.route.reused",
  /** The placement policy the scheduler used (e.g. "least-loaded"). */
  placementPolicy: "weir.placement.policy",
  /** Why the scheduler picked this instance (e.g. "cached-prefix", "least-loaded"). */
  placementReason: "weir.placement.reason",
  /** How many placements a step took (more than 1 when an instance failed and the step was placed again). */
  placementAttempts: "weir.placement.attempts",
  /** Prompt tokens the chosen instance already holds in its KV cache. */
  kvCachedPrefixTokens: "weir.kv.cached_prefix_tokens",
  /** KV blocks of the prompt's prefix found in the global prefix index. */
  kvMatchedBlocks: "weir.kv.matched_blocks",
  /** The engine adapter that ran the generation ("placeholder", "sim", "openai"). */
  engine: "weir.engine",

  // OpenTelemetry messaging, RPC, HTTP and error conventions.
  /** Messaging system of a bus hop: always "nats". */
  messagingSystem: "messaging.system",
  /** The NATS subject a message was sent to. */
  messagingDestinationName: "messaging.destination.name",
  /** RPC system: "grpc", or "nats" for NATS request/reply services. */
  rpcSystem: "rpc.system",
  /** Full name of the called service (e.g. "weir.v1.RouterService"). */
  rpcService: "rpc.service",
  /** Name of the called method (e.g. "Plan"). */
  rpcMethod: "rpc.method",
  /** HTTP method of the client request. */
  httpMethod: "http.request.method",
  /** The matched route template (e.g. "/v1/chat/completions"). */
  httpRoute: "http.route",
  /** HTTP status code sent to the client. */
  httpStatus: "http.response.status_code",
  /** What ended the operation in failure: the Weir error code name (e.g. "UNAVAILABLE"). */
  errorType: "error.type",
} as const;

/** The key of an attribute in {@link Attr} (e.g. "qeScore"). */
export type AttrKey = keyof typeof Attr;
/** A span attribute name Weir uses (e.g. "weir.qe.score"). */
export type AttrName = (typeof Attr)[AttrKey];
