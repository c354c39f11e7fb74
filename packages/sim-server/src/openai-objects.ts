import type { EngineUsage } from "@weir/engine";
import type { ApiKind } from "./generation-call.js";

// The OpenAI response objects the sim-server sends, in the shapes vLLM's
// server uses: chat.completion(.chunk) for chat, text_completion for
// completions, usage with prompt_tokens_details when part of the prompt was
// found in the prefix cache.

/** What every object of one response shares. */
export interface ResponseMeta {
  kind: ApiKind;
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

export function openAiUsage(u: EngineUsage): OpenAiUsage {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.totalTokens,
    ...(u.cachedPromptTokens > 0 ? { prompt_tokens_details: { cached_tokens: u.cachedPromptTokens } } : {}),
  };
}

export function completionObject(meta: ResponseMeta, text: string, finishReason: string, usage: EngineUsage): object {
  const choice =
    meta.kind === "chat"
      ? { index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: finishReason }
      : { index: 0, text, logprobs: null, finish_reason: finishReason };
  return {
    id: meta.id,
    object: meta.kind === "chat" ? "chat.completion" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices: [choice],
    usage: openAiUsage(usage),
  };
}

function chunk(meta: ResponseMeta, choices: object[], extra: object = {}): object {
  return {
    id: meta.id,
    object: meta.kind === "chat" ? "chat.completion.chunk" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices,
    ...extra,
  };
}

/** The first chat chunk: the assistant's role, no text yet. */
export function roleChunk(meta: ResponseMeta): object {
  return chunk(meta, [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
}

export function textChunk(meta: ResponseMeta, text: string): object {
  return chunk(meta, [
    meta.kind === "chat"
      ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: null }
      : { index: 0, text, logprobs: null, finish_reason: null },
  ]);
}

export function finishChunk(meta: ResponseMeta, finishReason: string): object {
  return chunk(meta, [
    meta.kind === "chat"
      ? { index: 0, delta: {}, logprobs: null, finish_reason: finishReason }
      : { index: 0, text: "", logprobs: null, finish_reason: finishReason },
  ]);
}

/** stream_options.include_usage: a last chunk with no choices and the usage. */
export function usageChunk(meta: ResponseMeta, usage: EngineUsage): object {
  return chunk(meta, [], { usage: openAiUsage(usage) });
}

/** GET /v1/models: the one model this server serves. */
export function modelList(model: string, created: number): object {
  return { object: "list", data: [{ id: model, object: "model", created, owned_by: "weir-sim", root: model, parent: null }] };
}
