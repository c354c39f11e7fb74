import type { GenerateResponse, Usage } from "@weir/proto";
import { weirSummary, type WeirSummary } from "./weir-summary.js";

// The OpenAI response objects, for both APIs. "chat" speaks
// chat.completion(.chunk) with messages and deltas, "text" speaks
// text_completion with plain text.

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
}

export function openAiUsage(usage: Usage | undefined): OpenAiUsage {
  return {
    prompt_tokens: usage?.promptTokens ?? 0,
    completion_tokens: usage?.completionTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
  };
}

/** The non-streaming body: chat.completion or text_completion. */
export function completionObject(meta: ResponseMeta, response: GenerateResponse): object {
  const choice =
    meta.kind === "chat"
      ? {
          index: 0,
          message: { role: "assistant", content: response.text, refusal: null },
          logprobs: null,
          finish_reason: response.finishReason,
        }
      : { index: 0, text: response.text, logprobs: null, finish_reason: response.finishReason };
  return {
    id: meta.id,
    object: meta.kind === "chat" ? "chat.completion" : "text_completion",
    created: meta.created,
    model: meta.model,
    choices: [choice],
    usage: openAiUsage(response.usage),
    weir: weirSummary(response.cascade),
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

/** The chunk that ends the choice; carries `weir` when it is the last chunk. */
export function finishChunk(meta: ResponseMeta, finishReason: string, weir: WeirSummary | undefined): object {
  return chunk(
    meta,
    [
      meta.kind === "chat"
        ? { index: 0, delta: {}, logprobs: null, finish_reason: finishReason }
        : { index: 0, text: "", logprobs: null, finish_reason: finishReason },
    ],
    weir === undefined ? undefined : { weir },
  );
}

/** stream_options.include_usage: a last chunk with no choices and the usage. */
export function usageChunk(meta: ResponseMeta, usage: OpenAiUsage, weir: WeirSummary | undefined): object {
  return chunk(meta, [], { usage, ...(weir === undefined ? {} : { weir }) });
}
