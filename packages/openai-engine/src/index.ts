// @weir/openai-engine: a Weir Engine backed by any OpenAI-compatible server
// (vLLM, SGLang, llama.cpp server, Ollama): the model-worker's `openai` engine.
export { OpenAiEngine } from "./openai-engine.js";
export { OpenAiEngineDefaults, type OpenAiEngineOptions } from "./openai-engine-options.js";
export type { RequestTimings } from "./request-timings.js";
export { SseParser, type SseEvent } from "./sse-parser.js";
