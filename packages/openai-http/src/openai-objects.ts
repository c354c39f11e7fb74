// The OpenAI response objects, for both APIs. "chat" speaks
// chat.completion(.chunk) with messages and deltas, "text" speaks
// text_completion with plain text. The gateway and @weir/sim-server both
// answer with these; `extra` carries what one of them adds at the top level
// (the gateway's `weir` object).

export type ApiKind = "chat" | "text";

/** What every object of one response shares. */
export interface ResponseMeta {
  kind: ApiKind;
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model the client asked for. */
  model: string;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Prompt tokens found in the prefix cache, where the server reports them (vLLM does). */
  prompt_tokens_details?: { cached_tokens: number };
}

/** Token counts as Weir holds them (the proto Usage, an engine's usage). */
export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from an instance's prefix cache (weir.v1.Usage.cached_prompt_tokens). */
  cachedPromptTokens?: number;
}

/** OpenAI's usage object; cached_tokens says how much of the prompt a prefix cache saved (as OpenAI and vLLM report it). */
export function openAiUsage(usage: TokenCounts | undefined): OpenAiUsage {
  return {
    prompt_tokens: usage?.promptTokens ?? 0,
    completion_tokens: usage?.completionTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
    prompt_tokens_details: { cached_tokens: usage?.cachedPromptTokens ?? 0 },
  };
}

/** A finished answer, as the non-streaming body reports it. */
export interface Completion {
  text: string;
  finishReason: string;
  usage: OpenAiUsage;
}

/** The non-streaming body: chat.completion or text_completion. */
export function completionObject(meta: ResponseMeta, completion: Completion, extra?: object): object {
  const { text, finishReason, usage } = completion;
  const choice =
    meta.kind === "chat"
      ? {
          index: 0,
          message: { role: "assistant", content: text, refusal: null },
          logprobs: null,
          finish_reason: finishReason,
        }
      : { index: 0, text, logprobs: null, finish_reason: finishReason };
  return {
    id: meta.id,
    object: meta.kind === "chat" ? "chat.completion" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices: [choice],
    usage,
    ...extra,
  };
}

function chunk(meta: ResponseMeta, choices: object[], extra?: object): object {
  return {
    id: meta.id,
    object: meta.kind === "chat" ? "chat.completion.chunk" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices,
    ...extra,
  };
}

/** The first chat chunk: the assistant's role, no text yet (as OpenAI sends it). */
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

/** The chunk that ends the choice. */
export function finishChunk(meta: ResponseMeta, finishReason: string, extra?: object): object {
  return chunk(
    meta,
    [
      meta.kind === "chat"
        ? { index: 0, delta: {}, logprobs: null, finish_reason: finishReason }
        : { index: 0, text: "", logprobs: null, finish_reason: finishReason },
    ],
    extra,
  );
}

/** stream_options.include_usage: a last chunk with no choices and the usage. */
export function usageChunk(meta: ResponseMeta, usage: OpenAiUsage, extra?: object): object {
  return chunk(meta, [], { usage, ...extra });
}
