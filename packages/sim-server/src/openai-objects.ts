import type { EngineUsage } from "@weir/engine";
import { openAiUsage, type OpenAiUsage } from "@weir/openai-http";

// What the sim-server adds to @weir/openai-http's response objects, in the
// shapes vLLM's server uses: usage with prompt_tokens_details when part of
// the prompt was found in the prefix cache, and the model list.

export function engineUsage(u: EngineUsage): OpenAiUsage {
  const usage = openAiUsage(u);
  return u.cachedPromptTokens > 0 ? { ...usage, prompt_tokens_details: { cached_tokens: u.cachedPromptTokens } } : usage;
}

/** GET /v1/models: the one model this server serves. */
export function modelList(model: string, created: number): object {
  return { object: "list", data: [{ id: model, object: "model", created, owned_by: "weir-sim", root: model, parent: null }] };
}
