export { createOpenAiHandler, type OpenAiHandler, type OpenAiHandlerDeps } from "./handler.js";
// The OpenAI wire format, shared with @weir/sim-server.
export { openAiErrorBody, errorHeaders, type OpenAiErrorBody } from "./openai-error.js";
export {
  completionObject,
  finishChunk,
  openAiUsage,
  roleChunk,
  textChunk,
  usageChunk,
  type ApiKind,
  type Completion,
  type OpenAiUsage,
  type ResponseMeta,
  type TokenCounts,
} from "./openai-objects.js";
export { parseJson, readBody } from "./read-body.js";
export { writeSseEvent } from "./sse.js";
