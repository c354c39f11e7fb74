import type { ChatMessage } from "@weir/proto";

/**
 * How a request's prompt becomes text and tokens: the plan and placement need
 * a prompt token estimate, the judge needs the prompt as one string. The
 * gateway can plug the real tokenizer in; the default is an approximation.
 */
export interface PromptTokenizer {
  /** Chat turns as the one prompt string a tier sees. */
  flatten(messages: readonly ChatMessage[]): string;
  count(text: string): number;
  /** Chained KV block hashes of the prompt, for prefix-aware placement. */
  blockHashes?(text: string): bigint[];
}

// Words and single punctuation marks: close enough to a BPE count for
// planning and placement, and the same on every call.
const TOKEN_PATTERN = /\w+|[^\w\s]/g;

/** PLACEHOLDER until a real tokenizer is wired in: words and punctuation. */
export const approximateTokenizer: PromptTokenizer = {
  flatten(messages) {
    return messages.map((m) => `${m.role}: ${m.content}`).join("\n");
  },
  count(text) {
    TOKEN_PATTERN.lastIndex = 0;
    let n = 0;
    while (TOKEN_PATTERN.exec(text) !== null) n++;
    return n;
  },
};
