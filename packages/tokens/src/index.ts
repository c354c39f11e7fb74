// @weir/tokens: token ids, token counts and chained KV block hashes, computed
// the same way by every component. Token ids are Llama 3 BPE ids (the models
// Weir's tiers serve); blockHashes and flattenMessages are the contract every
// component shares.
export { countTokens, detokenize, preloadTokenizer, tokenize } from "./tokenize.js";
export { BLOCK_HASH_SEED, DEFAULT_BLOCK_SIZE, blockHashes, nextBlockHash } from "./block-hashes.js";
export { flattenMessages, parseFlattenedMessages, type ChatTurn } from "./flatten-messages.js";
