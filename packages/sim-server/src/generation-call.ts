import { create } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import type { ApiKind } from "@weir/openai-http";
import { type GenerateTokensRequest, GenerateTokensRequestSchema } from "@weir/proto";
import type * as z from "zod";
import { chatCompletionRequest, completionRequest } from "./request-schemas.js";

/** One validated OpenAI request, as the engine takes it and as the response needs it. */
export interface GenerationCall {
  kind: ApiKind;
  /** The model the client named (echoed in every response object). */
  model: string;
  stream: boolean;
  includeUsage: boolean;
  request: GenerateTokensRequest;
}

// Tokens per message when nobody reads them one by one: a non-streaming
// client gets one body at the end, so the engine may hand over big pieces.
const COALESCE_UNREAD = 256;

/**
 * Validates a chat or completions body and turns it into the engine's
 * GenerateTokensRequest. Throws INVALID_ARGUMENT naming the field at fault.
 */
export function generationCall(kind: ApiKind, body: unknown, requestId: string, tier: string): GenerationCall {
  if (kind === "chat") {
    const b = parse(chatCompletionRequest, body);
    const messages = b.messages.map((m) => ({
      role: m.role,
      content: typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text).join(""),
    }));
    return call(kind, b, b.max_completion_tokens ?? b.max_tokens ?? 0, requestId, tier, { messages });
  }
  const b = parse(completionRequest, body);
  const prompt = typeof b.prompt === "string" ? b.prompt : b.prompt[0];
  return call(kind, b, b.max_tokens ?? 0, requestId, tier, { prompt });
}

/** What both APIs share, plus the input (messages or prompt). */
function call(
  kind: ApiKind,
  b: z.infer<typeof chatCompletionRequest> | z.infer<typeof completionRequest>,
  maxTokens: number,
  requestId: string,
  tier: string,
  input: { messages: { role: string; content: string }[] } | { prompt: string },
): GenerationCall {
  const stream = b.stream === true;
  const stop = b.stop === undefined || b.stop === null ? [] : typeof b.stop === "string" ? [b.stop] : b.stop;
  return {
    kind,
    model: b.model,
    stream,
    includeUsage: stream && b.stream_options?.include_usage === true,
    request: create(GenerateTokensRequestSchema, {
      requestId,
      tier,
      maxTokens,
      stop,
      ...(b.temperature === undefined || b.temperature === null ? {} : { temperature: b.temperature }),
      // ignore_eos (vLLM): the answer is exactly max_tokens long.
      targetOutputTokens: b.ignore_eos === true ? maxTokens : 0,
      maxTokensPerMessage: stream ? 1 : COALESCE_UNREAD,
      ...input,
    }),
  };
}

/** The parsed body, or INVALID_ARGUMENT: "<field> <what is wrong>", naming the first bad field. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = (issue?.path ?? [])
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
  if (field === "") throw WeirError.invalidArgument("the request body must be a JSON object");
  throw WeirError.invalidArgument(`${field} ${issue?.message ?? "is invalid"}`, field);
}
