export { createOpenAiHandler, type OpenAiHandler, type OpenAiHandlerDeps } from "./handler.js";
export { openAiErrorBody, errorHeaders, type OpenAiErrorBody } from "./openai-error.js";
