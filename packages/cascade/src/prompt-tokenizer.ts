import type { ChatMessage } from "@weir/proto";

/**
 * How a request's prompt becomes text and tokens: the plan and placement need
 * a prompt token estimate, the judge needs the prompt as one string. The
 * gateway can plug the real tokenizer in; the default is an approximation.
 */
export interface PromptTokenizer {
  /** Chat turns as the one prompt string a tier sees. */
  flatten(messages: readonly ChatMessage[]): string;
  /**
   * The prompt's token count and the chained hashes of its full KV blocks
   * (for prefix-aware placement), from one pass over the text: tokenizing is
   * the costliest thing the gateway does to a long prompt.
   */
  measure(text: string): PromptMeasure;
}

export interface PromptMeasure {
  tokens: number;
  blockHashes: bigint[];
}

// Words and single punctuation marks: close enough to a BPE count for
// planning and placement, and the same on every call.
const TOKEN_PATTERN = /\w+|[^\w\s]/g;

/** PLACEHOLDER for callers without a tokenizer (the gateway plugs in the real one): words and punctuation, no block hashes. */
export const approximateTokenizer: PromptTokenizer = {
  flatten(messages) {
    return messages.map((m) => `${m.role}: ${m.content}`).join("\n");
  },
  measure(text) {
    TOKEN_PATTERN.lastIndex = 0;
    let tokens = 0;
    while (TOKEN_PATTERN.exec(text) !== null) tokens++;
    return { tokens, blockHashes: [] };
  },
};
