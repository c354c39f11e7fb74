import type OpenAI from "openai";
import type { SseEvent } from "./sse-parser.js";

/** Which OpenAI API a stream belongs to: chat (deltas) or legacy completions (text). */
export type ApiKind = "chat" | "text";

/** Token accounting as the upstream reported it; servers may leave out any part. */
export interface UpstreamUsage {
  promptTokens?: number;
  completionTokens?: number;
  cachedPromptTokens?: number;
}

/** What one SSE event of an OpenAI stream says. */
export type StreamEvent =
  /** `data: [DONE]`: the stream is complete. */
  | { type: "done" }
  /** A chunk: text (possibly empty), and on the last ones the finish reason or the usage. */
  | { type: "chunk"; text: string; finishReason?: string; usage?: UpstreamUsage }
  /** An error the server reported inside the stream (HTTP-like status when it gave one). */
  | { type: "error"; message: string; status?: number };

/** The upstream sent something that is not an OpenAI stream event; the message says what. */
export class MalformedStreamError extends Error {
  override readonly name = "MalformedStreamError";
}

const snippet = (s: string): string => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * Reads one event of a streamed chat.completion.chunk or text_completion.
 * Strict about what it needs (a JSON object with a `choices` list whose first
 * choice has the text where the API puts it) and lenient about everything
 * else, so vLLM, SGLang, llama.cpp and Ollama all pass.
 */
export function parseStreamEvent(ev: SseEvent, api: ApiKind): StreamEvent {
  if (ev.data.trim() === "[DONE]") return { type: "done" };
  let json: unknown;
  try {
    json = JSON.parse(ev.data);
  } catch {
    throw new MalformedStreamError(`sent an event that is not JSON: ${snippet(ev.data)}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new MalformedStreamError(`sent an event that is not a JSON object: ${snippet(ev.data)}`);
  }
  const obj = json as Record<string, unknown>;
  const error = errorOf(obj, ev.event);
  if (error !== undefined) return error;

  const choices = obj.choices;
  if (!Array.isArray(choices)) throw new MalformedStreamError(`sent an event without a "choices" list: ${snippet(ev.data)}`);
  const usage = usageOf(obj.usage);
  const choice: unknown = choices[0];
  // The usage chunk of stream_options.include_usage has no choices at all.
  if (choice === undefined) return { type: "chunk", text: "", ...(usage ? { usage } : {}) };
  if (typeof choice !== "object" || choice === null) {
    throw new MalformedStreamError(`sent a choice that is not an object: ${snippet(ev.data)}`);
  }
  const text = api === "chat" ? deltaText(choice, ev.data) : completionText(choice, ev.data);
  const finish = (choice as { finish_reason?: unknown }).finish_reason;
  return {
    type: "chunk",
    text,
    ...(typeof finish === "string" && finish !== "" ? { finishReason: finish } : {}),
    ...(usage ? { usage } : {}),
  };
}

function deltaText(choice: object, raw: string): string {
  const delta = (choice as Partial<OpenAI.Chat.ChatCompletionChunk.Choice>).delta as unknown;
  if (typeof delta !== "object" || delta === null) {
    throw new MalformedStreamError(`sent a chat choice without a "delta" object: ${snippet(raw)}`);
  }
  const content = (delta as { content?: unknown }).content;
  if (content === undefined || content === null) return "";
  if (typeof content !== "string") throw new MalformedStreamError(`sent a delta whose "content" is not a string: ${snippet(raw)}`);
  return content;
}

function completionText(choice: object, raw: string): string {
  const text = (choice as { text?: unknown }).text;
  if (text === undefined || text === null) return "";
  if (typeof text !== "string") throw new MalformedStreamError(`sent a choice whose "text" is not a string: ${snippet(raw)}`);
  return text;
}

const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);

function usageOf(u: unknown): UpstreamUsage | undefined {
  if (typeof u !== "object" || u === null) return undefined;
  const usage = u as Partial<OpenAI.CompletionUsage>;
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  const cachedPromptTokens = count(usage.prompt_tokens_details?.cached_tokens);
  return {
    ...(promptTokens === undefined ? {} : { promptTokens }),
    ...(completionTokens === undefined ? {} : { completionTokens }),
    ...(cachedPromptTokens === undefined ? {} : { cachedPromptTokens }),
  };
}

/**
 * Errors inside a stream come in two shapes: OpenAI's and Weir's gateway's
 * `{"error": {"message", "code"}}`, and vLLM's `{"object": "error",
 * "message", "code"}`; some servers also label them `event: error`.
 */
function errorOf(obj: Record<string, unknown>, event: string): StreamEvent | undefined {
  const nested = obj.error;
  const source =
    typeof nested === "object" && nested !== null
      ? (nested as Record<string, unknown>)
      : obj.object === "error" || event === "error"
        ? obj
        : typeof nested === "string"
          ? { message: nested }
          : undefined;
  if (source === undefined) return undefined;
  const message = typeof source.message === "string" && source.message !== "" ? source.message : JSON.stringify(obj);
  const status = typeof source.code === "number" ? source.code : undefined;
  return { type: "error", message, ...(status === undefined ? {} : { status }) };
}
