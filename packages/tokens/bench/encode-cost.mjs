// What tokenizing costs on the request path: vocabulary load, a short chat
// prompt and a 32k-token prompt, with @weir/tokens's tokenize and, for
// comparison, llama3-tokenizer-js's own encode. A measurement to run by hand
// (`pnpm --filter @weir/tokens bench` after a build), not a test: the figures
// go in this package's README.
//
// The long prompts are real text (the vendored GSM8K questions and answers:
// English and arithmetic), about 32k tokens each. Steady-state figures are
// repeats of the same prompt (pieces already in tokenize's memo), as when a
// conversation or a shared system prompt comes back.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { blockHashes, detokenize, flattenMessages, preloadTokenizer, tokenize } from "../dist/index.js";
import { llama3 } from "../dist/llama3.js";

const CORPUS = fileURLToPath(new URL("../../../datasets/routellm/gsm8k_responses.csv", import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}
/** Per-call times in ms of `fn`, `rounds` samples of `batch` calls each. */
function time(fn, rounds, batch = 1) {
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    out.push((performance.now() - t) / batch);
  }
  return out;
}
const ms = (x) => `${x.toFixed(2)} ms`;
const us = (x) => `${(x * 1000).toFixed(1)} µs`;

globalThis.gc?.();
const before = process.memoryUsage();
let t = performance.now();
preloadTokenizer();
const loadMs = performance.now() - t;
globalThis.gc?.();
const after = process.memoryUsage();
console.log(`vocabulary load: ${ms(loadMs)}, +${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB RSS, ` +
  `+${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(0)} MiB heap` + (globalThis.gc ? "" : " (run with --expose-gc for exact heap)"));

const pkg = (text) => llama3().encode(text, { bos: false, eos: false });

const corpus = readFileSync(CORPUS, "utf8");

// A fresh process: the piece memo is empty, every distinct piece goes through BPE once.
t = performance.now();
const coldIds = tokenize(corpus.slice(0, 113_000));
const coldMs = performance.now() - t;
console.log(`32k-token prompt, first in the process (${coldIds.length} tokens, memo empty): ${ms(coldMs)}`);

const long = detokenize(coldIds.slice(0, 32_768));
const otherText = corpus.slice(400_000, 513_000);
t = performance.now();
const otherIds = tokenize(otherText);
const otherFirstMs = performance.now() - t;
console.log(`another 32k-token prompt, first sight (${otherIds.length} tokens, memo warmed by the first): ${ms(otherFirstMs)}`);

const chat = flattenMessages([
  { role: "system", content: "You are a helpful assistant. Answer briefly." },
  { role: "user", content: "What is a weir, and why would a town build one across its river?" },
]);

const chatTokens = tokenize(chat).length;
const chatOurs = time(() => tokenize(chat), 200, 1000);
const chatPkg = time(() => pkg(chat), 50, 200);
console.log(`short chat prompt (${chatTokens} tokens): tokenize p50 ${us(median(chatOurs))} p99 ${us(percentile(chatOurs, 0.99))}; ` +
  `package encode p50 ${us(median(chatPkg))}`);

const longTokens = tokenize(long).length;
const longOurs = time(() => tokenize(long), 40);
const longPkg = time(() => pkg(long), 20);
const ids = tokenize(long);
const hashes = time(() => blockHashes(ids, 16), 40);
console.log(`32k prompt (${longTokens} tokens): tokenize p50 ${ms(median(longOurs))} p99 ${ms(percentile(longOurs, 0.99))}; ` +
  `package encode p50 ${ms(median(longPkg))}; ` +
  `blockHashes p50 ${ms(median(hashes))}`);
