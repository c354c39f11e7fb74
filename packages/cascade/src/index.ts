export {
  createCascade,
  type Cascade,
  type CascadeEvent,
  type CascadeOptions,
  type CascadeRunOptions,
} from "./cascade.js";
export type { CascadePorts } from "./ports.js";
export type { CascadeTier } from "./tiers.js";
export { generationCostUsd } from "./cost.js";
export { approximateTokenizer, type PromptMeasure, type PromptTokenizer } from "./prompt-tokenizer.js";
export { AUTO_MODEL, CHAT_ROLES } from "./validate-input.js";
export {
  createShadowVerifier,
  type AcceptedRung,
  type ShadowOutcome,
  type ShadowPorts,
  type ShadowReport,
  type ShadowVerifier,
  type ShadowVerifierOptions,
} from "./shadow-verification.js";
export { STREAMING_POLICIES, type StreamingPolicyName } from "./request-targets.js";
export { DEFAULT_EARLY_JUDGE_TOKENS } from "./early-streaming.js";
