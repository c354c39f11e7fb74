import { instanceLoad } from "./instance-load.js";
import type { LiveInstance } from "./live-instance.js";
import type { ResolvedPrefixCostWeights } from "./placement-options.js";

/**
 * The prefix-aware cost of placing a prompt on an instance, in token-
 * equivalents of prefill work that must happen there before this request's
 * first token (in the spirit of Dynamo's KV router and llm-d's precise
 * prefix scorer, which weigh the prefill a cache hit saves against load):
 *
 *   newPrefill    = max(1, promptTokens − cachedBlocks × blockSize)
 *                   (a full hit still computes the last token, as vLLM does)
 *   queuedPrefill = queuedPrefillWeight × waitingPromptTokens
 *                   (prompts admitted there and not yet prefilled go first)
 *   decodeLoad    = decodeLoadTokens × (running + waiting + inflight) / maxConcurrency
 *                   (decode steps share every step with our prefill, and past
 *                   load 1 we wait for a slot)
 *
 *   cost = newPrefill + queuedPrefill + decodeLoad
 */
export interface PrefixCost {
  cost: number;
  newPrefillTokens: number;
  queuedPrefillTokens: number;
  decodeLoadTokens: number;
  load: number;
}

export function prefixCost(
  instance: LiveInstance,
  promptTokens: number,
  cachedBlocks: number,
  blockSize: number,
  w: ResolvedPrefixCostWeights,
): PrefixCost {
  const cachedTokens = Math.max(0, cachedBlocks) * Math.max(0, blockSize);
  const newPrefillTokens = Math.max(1, promptTokens - cachedTokens);
  const queuedPrefillTokens = w.queuedPrefillWeight * Math.max(0, instance.waitingPromptTokens);
  const load = instanceLoad(instance);
  const decodeLoadTokens = w.decodeLoadTokens * load;
  return { cost: newPrefillTokens + queuedPrefillTokens + decodeLoadTokens, newPrefillTokens, queuedPrefillTokens, decodeLoadTokens, load };
}

/**
 * The work already queued on an instance, in the same token-equivalents:
 * prefixCost without the newcomer's own prefill. What length-aware
 * placement compares across groups.
 */
export function queuedWork(instance: LiveInstance, w: ResolvedPrefixCostWeights): number {
  return w.queuedPrefillWeight * Math.max(0, instance.waitingPromptTokens) + w.decodeLoadTokens * instanceLoad(instance);
}
