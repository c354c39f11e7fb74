// @weir/tokens: token ids, token counts and chained KV block hashes.
// approxTokenize/countTokens are a PLACEHOLDER tokenizer until the engines
// issue brings a real BPE tokenizer from npm; blockHashes and flattenMessages
// are the lasting contract every component shares.
export { approxTokenize, countTokens } from "./approx-tokenize.js";
export { BLOCK_HASH_SEED, DEFAULT_BLOCK_SIZE, blockHashes, nextBlockHash } from "./block-hashes.js";
export { flattenMessages, type ChatTurn } from "./flatten-messages.js";
