// @weir/sim-server: any Engine (the simulated engine above all) behind an
// OpenAI-compatible HTTP API, the role llm-d-inference-sim plays for llm-d:
// Weir's openai engine adapter, benchmarks and other OpenAI clients can talk
// to a simulated model exactly as they would to vLLM.
export {
  createSimServer,
  startSimServer,
  SimServerDefaults,
  type ListenOptions,
  type RunningSimServer,
  type SimServerOptions,
} from "./sim-server.js";
export { createSimServerHandler, type SimServerHandler, type SimServerHandlerDeps } from "./handler.js";
export { registerServerMetrics, type RequestMetrics, type ServerMetrics } from "./server-metrics.js";
export { createSimSetup, type SimSetup, type SimSetupOptions } from "./sim-engine-setup.js";
export { parseReplaySpec, replayOutputSource, type ReplaySpec } from "./replay-source.js";
