import type { PromptTokenizer } from "@weir/cascade";
import { blockHashes, flattenMessages, tokenize } from "@weir/tokens";

/** KV block size in tokens (the vLLM default); workers hash with the same size. */
export const KV_BLOCK_SIZE = 16;

/**
 * The gateway's view of a prompt, from @weir/tokens (the Llama 3 BPE): the
 * same flattening, token ids and chained hashing the workers use, so the
 * block hashes the scheduler matches against the KV index are the ones the
 * workers published. One tokenization per prompt gives both the count and
 * the hashes.
 */
export const gatewayTokenizer: PromptTokenizer = {
  flatten: (messages) => flattenMessages(messages),
  measure(text) {
    const ids = tokenize(text);
    return { tokens: ids.length, blockHashes: blockHashes(ids, KV_BLOCK_SIZE) };
  },
};
