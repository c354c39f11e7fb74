/**
 * Span attribute names the HTTP front door writes, declared once: the
 * OpenTelemetry HTTP and gen_ai conventions, weir.* for our own.
 */
export const Attr = {
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  httpStatus: "http.response.status_code",
  operation: "gen_ai.operation.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  requestId: "weir.request_id",
  tier: "weir.tier",
  escalated: "weir.cascade.escalated",
  costUsd: "weir.cost_usd",
  stream: "weir.stream",
  errorType: "error.type",
} as const;
