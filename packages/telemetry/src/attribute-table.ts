import { Attr, type AttrKey } from "./attributes.js";

/** The OpenTelemetry attribute type of each value Weir writes. */
type AttrType = "string" | "int" | "double" | "boolean" | "string[]";

interface AttrDoc {
  type: AttrType;
  /** The same sentence as the attribute's TSDoc in attributes.ts (a test keeps them equal). */
  brief: string;
}

// Mapped over AttrKey so that an attribute added to Attr without a row here
// fails to compile: the docs table can never miss one.
const docs: { readonly [K in AttrKey]: AttrDoc } = {
  operation: { type: "string", brief: 'The GenAI operation: "chat" for chat completions, "text_completion" for completions.' },
  provider: { type: "string", brief: 'Who served the model: "weir" for Weir\'s built-in engines, else the upstream provider (e.g. "openai").' },
  requestModel: { type: "string", brief: 'The model the client asked for: "weir-auto" or a tier\'s model.' },
  responseModel: { type: "string", brief: "The model that produced the answer the client received." },
  maxTokens: { type: "int", brief: "The most tokens the client allowed in the answer." },
  temperature: { type: "double", brief: "The sampling temperature the client asked for." },
  finishReasons: { type: "string[]", brief: 'Why generation stopped, one entry per choice ("stop", "length").' },
  inputTokens: { type: "int", brief: "Prompt tokens the model read." },
  outputTokens: { type: "int", brief: "Tokens the model generated." },
  responseId: { type: "string", brief: 'Id of the completion returned to the client (e.g. "chatcmpl-…").' },
  requestId: { type: "string", brief: "Weir's id for one client request, the same on every span and log line about it." },
  stream: { type: "boolean", brief: "Whether the client asked for a streamed (server-sent events) response." },
  tier: { type: "string", brief: "Name of the model tier (from weir.yaml) that a step, placement or worker serves." },
  instanceId: { type: "string", brief: "Id of the model-worker instance that generated the tokens." },
  cascadePath: { type: "string[]", brief: 'Tiers the request visited, in order (e.g. ["small", "large"]).' },
  escalated: { type: "boolean", brief: "True when the answer came from a later rung than the first tier tried." },
  cascadeStep: { type: "int", brief: "Position of a step on the cascade ladder, counting from 0." },
  qeScore: { type: "double", brief: "Quality estimate of a step's answer: the probability in [0, 1] that it is acceptable." },
  qeThreshold: { type: "double", brief: "The score at or above which a step's answer is accepted." },
  qeAccepted: { type: "boolean", brief: "Whether the judge accepted the step's answer (false means escalate)." },
  qeScorer: { type: "string", brief: 'Which scorer produced weir.qe.score (e.g. "placeholder").' },
  costUsd: { type: "double", brief: "Cost in USD at the tier prices in weir.yaml (summed over steps on the cascade span)." },
  routePolicy: { type: "string", brief: 'The routing policy that made the plan (e.g. "static-ladder").' },
  routeReason: { type: "string", brief: "Why the router chose this ladder, as a short phrase." },
  routeRiskScore: { type: "double", brief: "L2: the request's weighted risk, carried risk included (0..1)." },
  routeRiskRules: { type: "string", brief: 'L2: the risk rules (categories) behind the score, comma-separated (e.g. "medical-dosage").' },
  routeRiskOverridden: { type: "boolean", brief: "L2: whether the risk overrode the plan (strongest tier or a stricter QE threshold)." },
  routeReused: { type: "boolean", brief: "L0: whether the turn was answered from the conversation's stored state without generation." },
  placementPolicy: { type: "string", brief: 'The placement policy the scheduler used (e.g. "least-loaded").' },
  placementReason: { type: "string", brief: 'Why the scheduler picked this instance (e.g. "cached-prefix", "least-loaded").' },
  placementAttempts: { type: "int", brief: "How many placements a step took (more than 1 when an instance failed and the step was placed again)." },
  kvCachedPrefixTokens: { type: "int", brief: "Prompt tokens the chosen instance already holds in its KV cache." },
  kvMatchedBlocks: { type: "int", brief: "KV blocks of the prompt's prefix found in the global prefix index." },
  engine: { type: "string", brief: 'The engine adapter that ran the generation ("placeholder", "sim", "openai").' },
  messagingSystem: { type: "string", brief: 'Messaging system of a bus hop: always "nats".' },
  messagingDestinationName: { type: "string", brief: "The NATS subject a message was sent to." },
  rpcSystem: { type: "string", brief: 'RPC system: "grpc", or "nats" for NATS request/reply services.' },
  rpcService: { type: "string", brief: 'Full name of the called service (e.g. "weir.v1.RouterService").' },
  rpcMethod: { type: "string", brief: 'Name of the called method (e.g. "Plan").' },
  httpMethod: { type: "string", brief: "HTTP method of the client request." },
  httpRoute: { type: "string", brief: 'The matched route template (e.g. "/v1/chat/completions").' },
  httpStatus: { type: "int", brief: "HTTP status code sent to the client." },
  errorType: { type: "string", brief: 'What ended the operation in failure: the Weir error code name (e.g. "UNAVAILABLE").' },
};

/** Where an attribute's name is defined, from its namespace. */
function conventionOf(name: string): string {
  if (name.startsWith("gen_ai.")) return "OTel GenAI";
  if (name.startsWith("weir.")) return "Weir";
  return "OTel";
}

/** Escapes the one character that would break a markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The description and type of every attribute in {@link Attr}, by key. */
export function attributeDocs(): Readonly<Record<AttrKey, Readonly<AttrDoc>>> {
  return docs;
}

/**
 * Every span attribute Weir sets, as a markdown table (attribute, type,
 * convention, constant, meaning) for the docs, in declaration order.
 */
export function attributeTable(): string {
  const rows = (Object.keys(Attr) as AttrKey[]).map((key) => {
    const name = Attr[key];
    const doc = docs[key];
    return `| \`${name}\` | ${doc.type} | ${conventionOf(name)} | \`Attr.${key}\` | ${cell(doc.brief)} |`;
  });
  return [
    "| Attribute | Type | Convention | Constant | Meaning |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
