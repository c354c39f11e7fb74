import type { GenerateTokensRequest } from "@weir/proto";
import { flattenMessages } from "@weir/tokens";
import type OpenAI from "openai";
import type { ApiKind } from "./stream-event.js";

/** One streaming request to an OpenAI-compatible server: where it goes and what it says. */
export interface UpstreamRequest {
  api: ApiKind;
  /** Path under the base URL: "chat/completions" or "completions". */
  path: string;
  body: OpenAI.Chat.ChatCompletionCreateParamsStreaming | OpenAI.CompletionCreateParamsStreaming;
  /** The prompt as Weir counts it, for the fallback token count when the server sends no usage. */
  promptText: string;
}

/**
 * A worker's GenerateTokensRequest as an OpenAI request: chat when it has
 * messages, a legacy completion of `prompt` otherwise. Always streaming with
 * include_usage, so the server reports the real token counts at the end.
 *
 * target_output_tokens (trace replay) can only cap the answer here:
 * max_tokens becomes the smaller of the two. An exact length needs the
 * server's own option (vLLM's ignore_eos), which this adapter does not send
 * because strict servers reject fields they do not know.
 *
 * prefill_only (escalation warm-up) becomes max_tokens 1 with no stop
 * sequences: the server prefills the prompt, which its prefix cache keeps
 * (vLLM's automatic prefix caching, SGLang's radix cache), and samples one
 * token that the engine discards. The OpenAI API has no prefill-only call.
 */
export function upstreamRequest(req: GenerateTokensRequest, model: string): UpstreamRequest {
  const caps = req.prefillOnly ? [1] : [req.maxTokens, req.targetOutputTokens].filter((n) => n > 0);
  const common = {
    model,
    stream: true as const,
    stream_options: { include_usage: true },
    ...(caps.length > 0 ? { max_tokens: Math.min(...caps) } : {}),
    ...(req.stop.length > 0 && !req.prefillOnly ? { stop: req.stop } : {}),
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
  };
  if (req.messages.length > 0) {
    return {
      api: "chat",
      path: "chat/completions",
      // Roles pass through as the client sent them; the gateway has checked them.
      body: { ...common, messages: req.messages.map((m) => ({ role: m.role, content: m.content }) as OpenAI.Chat.ChatCompletionMessageParam) },
      promptText: flattenMessages(req.messages),
    };
  }
  return { api: "text", path: "completions", body: { ...common, prompt: req.prompt }, promptText: req.prompt };
}
