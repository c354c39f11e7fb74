import type { PromptTokenizer } from "@weir/cascade";
import { blockHashes, flattenMessages, tokenize } from "@weir/tokens";

/** KV block size in tokens (the vLLM default); workers hash with the same size. */
export const KV_BLOCK_SIZE = 16;

/**
 * The gateway's view of a prompt, from @weir/tokens (the Llama 3 BPE) — the
 * same flattening, token ids and chained hashing the workers use, so the
 * block hashes the scheduler matches against the KV index are the ones the
 * workers published. The cascade asks for the count and then the hashes of
 * the same prompt: the ids are tokenized once and reused.
 */
export function createGatewayTokenizer(): PromptTokenizer {
  let lastText: string | undefined;
  let lastIds: number[] = [];
  const idsOf = (text: string): number[] => {
    if (text !== lastText) {
      lastIds = tokenize(text);
      lastText = text;
    }
    return lastIds;
  };
  return {
    flatten: (messages) => flattenMessages(messages),
    count: (text) => idsOf(text).length,
    blockHashes: (text) => blockHashes(idsOf(text), KV_BLOCK_SIZE),
  };
}
