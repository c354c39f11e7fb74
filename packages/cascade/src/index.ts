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
