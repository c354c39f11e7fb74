import * as z from "zod";

// The OpenAI request shapes Weir supports, built once at load (never per
// request). z.object strips unknown keys: OpenAI clients send extras we do
// not use, and those must not fail a request. Optional fields are nullish
// because some clients send null for "not set".
//
// Only the shape is checked here; value rules (max_tokens ≥ 1, temperature
// range, stop count, roles) live in the cascade, the one place that serves
// HTTP and gRPC alike.

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const chatMessage = z.object({
  role: z.string(),
  content: z
    .union([z.string(), z.array(textPart)], {
      error: 'must be a string or an array of {"type": "text", "text": ...} parts (images and audio are not supported)',
    })
    .nullish(),
});

const stop = z.union([z.string(), z.array(z.string())], { error: "must be a string or an array of strings" }).nullish();

const oneChoice = z.literal(1, { error: "only 1 is supported: Weir returns one choice per request" }).nullish();

const streamOptions = z.object({ include_usage: z.boolean().nullish() }).nullish();

export const chatCompletionRequest = z.object({
  model: z.string(),
  messages: z.array(chatMessage),
  max_tokens: z.int().nullish(),
  max_completion_tokens: z.int().nullish(),
  temperature: z.number().nullish(),
  // Accepted for compatibility; the cascade samples with the tier's defaults.
  top_p: z.number().nullish(),
  n: oneChoice,
  stop,
  stream: z.boolean().nullish(),
  stream_options: streamOptions,
  user: z.string().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

export const completionRequest = z.object({
  model: z.string(),
  prompt: z.union([z.string(), z.tuple([z.string()])], {
    error: "must be a string or an array of one string (batches of prompts are not supported)",
  }),
  max_tokens: z.int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  n: oneChoice,
  stop,
  stream: z.boolean().nullish(),
  stream_options: streamOptions,
  echo: z.literal(false, { error: "only false is supported: Weir does not echo the prompt" }).nullish(),
  user: z.string().nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequest>;
