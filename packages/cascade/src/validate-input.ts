import { WeirError } from "@weir/errors";
import type { GenerationInput } from "@weir/proto";

/** The model name that routes through the cascade (a tier name pins one tier). */
export const AUTO_MODEL = "weir-auto";

export const CHAT_ROLES: ReadonlySet<string> = new Set(["system", "user", "assistant", "tool", "developer"]);

/** OpenAI's limit, kept so that clients see the same rule everywhere. */
const MAX_STOP_SEQUENCES = 4;

/**
 * Rejects what no tier could answer, before anything runs. Field names are the
 * wire names (snake_case) so HTTP and gRPC clients can find them. `models` is
 * every accepted model name, "weir-auto" first.
 */
export function validateInput(input: GenerationInput, models: ReadonlySet<string>): void {
  if (input.model === "") {
    throw WeirError.invalidArgument(`model is required: use one of ${listOf(models)}`, "model");
  }
  if (!models.has(input.model)) {
    throw WeirError.notFound(
      `the model "${input.model}" does not exist: use one of ${listOf(models)}`,
      "model",
    );
  }
  if (input.messages.length === 0 && input.prompt === "") {
    throw WeirError.invalidArgument(
      "messages is required: send the conversation as a non-empty array of {role, content} (or a prompt for a completion)",
      "messages",
    );
  }
  if (input.messages.length > 0 && input.prompt !== "") {
    throw WeirError.invalidArgument("send either messages or a prompt, not both", "prompt");
  }
  for (let i = 0; i < input.messages.length; i++) {
    const role = input.messages[i]?.role ?? "";
    if (!CHAT_ROLES.has(role)) {
      throw WeirError.invalidArgument(
        `messages[${i}].role "${role}" is not a chat role: use one of ${[...CHAT_ROLES].join(", ")}`,
        `messages[${i}].role`,
      );
    }
  }
  if (input.maxTokens !== undefined && input.maxTokens < 1) {
    throw WeirError.invalidArgument("max_tokens must be at least 1 (or left out)", "max_tokens");
  }
  const t = input.temperature;
  if (t !== undefined && !(t >= 0 && t <= 2)) {
    throw WeirError.invalidArgument(`temperature must be between 0 and 2, not ${t}`, "temperature");
  }
  if (input.stop.length > MAX_STOP_SEQUENCES) {
    throw WeirError.invalidArgument(
      `stop has ${input.stop.length} sequences: send at most ${MAX_STOP_SEQUENCES}`,
      "stop",
    );
  }
  if (input.stop.some((s) => s === "")) {
    throw WeirError.invalidArgument("stop sequences must not be empty strings", "stop");
  }
}

function listOf(models: ReadonlySet<string>): string {
  return [...models].map((m) => `"${m}"`).join(", ");
}
