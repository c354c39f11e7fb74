import * as z from "zod";

// The OpenAI request shapes the sim-server accepts, built once at load.
// z.object strips unknown keys: clients send extras (top_p, seed, user, ...)
// that a simulated engine has no use for, and those must not fail a request.
// Optional fields are nullish because some clients send null for "not set".
// Unlike the gateway, the value rules live here too: this server has no
// cascade behind it to check them.

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const chatMessage = z.object({
  role: z.enum(["system", "user", "assistant", "tool", "developer"], {
    error: 'must be one of "system", "user", "assistant", "tool", "developer"',
  }),
  content: z
    .union([z.string(), z.array(textPart)], {
      error: 'must be a string or an array of {"type": "text", "text": ...} parts',
    })
    .nullish(),
});

const maxTokens = z.int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).nullish();

const stop = z
  .union([z.string(), z.array(z.string()).max(4, { error: "may hold at most 4 sequences" })], {
    error: "must be a string or an array of up to 4 strings",
  })
  .nullish();

const common = {
  model: z.string({ error: "is required: name the model this server serves (GET /v1/models lists it)" }),
  max_tokens: maxTokens,
  temperature: z.number({ error: "must be a number" }).min(0, { error: "must be from 0 to 2" }).max(2, { error: "must be from 0 to 2" }).nullish(),
  n: z.literal(1, { error: "only 1 is supported: the simulator returns one choice" }).nullish(),
  stop,
  stream: z.boolean({ error: "must be true or false" }).nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  // vLLM's extension that benchmark clients use to force an exact output
  // length: generate max_tokens tokens whatever the model would have said.
  ignore_eos: z.boolean({ error: "must be true or false" }).nullish(),
};

export const chatCompletionRequest = z.object({
  ...common,
  messages: z
    .array(chatMessage, { error: "is required: send the conversation as a list of {role, content} messages" })
    .min(1, { error: "must hold at least one message" }),
  max_completion_tokens: maxTokens,
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

export const completionRequest = z.object({
  ...common,
  prompt: z.union([z.string(), z.tuple([z.string()])], {
    error: "is required: a string, or an array of one string (batches of prompts are not supported)",
  }),
  echo: z.literal(false, { error: "only false is supported: the simulator does not echo the prompt" }).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequest>;
