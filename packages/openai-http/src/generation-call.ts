import { create } from "@bufbuild/protobuf";
import { GenerationInputSchema, type GenerationInput } from "@weir/proto";
import type { ApiKind } from "./openai-objects.js";
import {
  chatCompletionRequest,
  completionRequest,
  type ChatCompletionRequest,
  type CompletionRequest,
} from "./request-schemas.js";
import { validationError } from "./validation-error.js";

/** A validated OpenAI request, as the cascade input plus how to answer it. */
export interface GenerationCall {
  kind: ApiKind;
  input: GenerationInput;
  stream: boolean;
  includeUsage: boolean;
}

/** POST /v1/chat/completions body → GenerationCall (INVALID_ARGUMENT when it does not fit). */
export function chatCall(body: unknown, requestId: string): GenerationCall {
  const parsed = chatCompletionRequest.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, body);
  const req: ChatCompletionRequest = parsed.data;
  return {
    kind: "chat",
    input: create(GenerationInputSchema, {
      model: req.model,
      messages: req.messages.map((m) => ({ role: m.role, content: textOf(m.content) })),
      ...optionals(req.max_completion_tokens ?? req.max_tokens, req.temperature),
      stop: stopList(req.stop),
      requestId,
    }),
    stream: req.stream === true,
    includeUsage: req.stream_options?.include_usage === true,
  };
}

/** POST /v1/completions body → GenerationCall. */
export function completionCall(body: unknown, requestId: string): GenerationCall {
  const parsed = completionRequest.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, body);
  const req: CompletionRequest = parsed.data;
  return {
    kind: "text",
    input: create(GenerationInputSchema, {
      model: req.model,
      prompt: typeof req.prompt === "string" ? req.prompt : req.prompt[0],
      ...optionals(req.max_tokens, req.temperature),
      stop: stopList(req.stop),
      requestId,
    }),
    stream: req.stream === true,
    includeUsage: req.stream_options?.include_usage === true,
  };
}

function textOf(content: ChatCompletionRequest["messages"][number]["content"]): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((p) => p.text).join("");
}

function stopList(stop: string | string[] | null | undefined): string[] {
  if (stop === null || stop === undefined) return [];
  return typeof stop === "string" ? [stop] : stop;
}

// proto3 optionals: absent means "the tier decides", so only set what was sent.
function optionals(
  maxTokens: number | null | undefined,
  temperature: number | null | undefined,
): { maxTokens?: number; temperature?: number } {
  return {
    ...(maxTokens === null || maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === null || temperature === undefined ? {} : { temperature }),
  };
}
