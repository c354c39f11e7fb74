/**
 * The names of the spans Weir opens, declared once. Fixed names are
 * constants; names the conventions build from the operation are functions,
 * so a span's name stays low-cardinality (a route template, never a URL).
 */
export const SpanNames = {
  /** Gateway root span of an HTTP request, from the route template: "POST /v1/chat/completions". */
  http: (method: string, route: string): string => `${method} ${route}`,
  /** gRPC span, per the RPC conventions: "weir.v1.InferenceService/Generate". */
  rpc: (service: string, method: string): string => `${service}/${method}`,
  /** NATS request/reply span: the subject served, e.g. "weir.router.plan". */
  nats: (subject: string): string => subject,
  /** A span around a call to a model, per the GenAI conventions: "chat meta-llama/Llama-3.1-8B-Instruct". */
  genAi: (operation: string, model: string): string => `${operation} ${model}`,

  /** The whole cascade for one request: plan, then one step per tier tried. */
  cascade: "weir.cascade",
  /** One rung of the ladder: place, generate, judge. */
  cascadeStep: "weir.cascade.step",
  /** The router making a plan (the NATS service span). */
  routerPlan: "weir.router.plan",
  /** The scheduler placing a generation on an instance (the NATS service span). */
  schedulerPlace: "weir.scheduler.place",
  /** The KV-cache manager matching a prompt's prefix (the NATS service span). */
  kvMatch: "weir.kv.match",
  /** The quality judge scoring an answer (the NATS service span). */
  qeScore: "weir.qe.score",
  /** A model worker generating tokens for one step. */
  workerGenerate: "weir.worker.generate",
} as const;
