import type { PromptTokenizer } from "@weir/cascade";
import { approxTokenize, blockHashes, countTokens, flattenMessages } from "@weir/tokens";

/** KV block size in tokens (the vLLM default); workers hash with the same size. */
export const KV_BLOCK_SIZE = 16;

/**
 * The gateway's view of a prompt, from @weir/tokens — the same flattening and
 * hashing the workers use, so the block hashes the scheduler matches against
 * the KV index are the ones the workers published.
 */
export const gatewayTokenizer: PromptTokenizer = {
  flatten: (messages) => flattenMessages(messages),
  count: (text) => countTokens(text),
  blockHashes: (text) => blockHashes(approxTokenize(text), KV_BLOCK_SIZE),
};
