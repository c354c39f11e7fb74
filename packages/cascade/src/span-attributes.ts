/**
 * Span attribute names the cascade writes, declared once: OpenTelemetry's
 * gen_ai.* where it defines them, weir.* otherwise (the same names the
 * telemetry package registers).
 */
export const Attr = {
  requestId: "weir.request_id",
  requestModel: "gen_ai.request.model",
  tier: "weir.tier",
  instanceId: "weir.instance_id",
  qeScore: "weir.qe.score",
  qeThreshold: "weir.qe.threshold",
  qeAccepted: "weir.qe.accepted",
  escalated: "weir.cascade.escalated",
  costUsd: "weir.cost_usd",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  routeReason: "weir.route.reason",
  routePolicy: "weir.route.policy",
  placementAttempts: "weir.placement.attempts",
  errorType: "error.type",
} as const;

export const SpanName = {
  cascade: "weir.cascade",
  step: "weir.cascade.step",
} as const;
