import { instanceLoad } from "./instance-load.js";
import type { LiveInstance } from "./live-instance.js";
import type { WarmupRule } from "./placement-options.js";
import type { PlacementRequest } from "./placement-policy.js";

/**
 * The instances a request may go to, in instanceId order (so that every
 * tie-break downstream is independent of the caller's listing order):
 * not excluded, of the request's tier, and, for a warm-up, below
 * the warm-up rule (load below maxLoad and no more than
 * maxQueuedPrefillTokens of prefill queued), because a warm-up is best
 * effort and must never crowd out real traffic: the warm-up benchmark showed
 * that a load bound alone lets warm-ups delay real prefills under load.
 */
export function eligibleInstances(
  instances: readonly LiveInstance[],
  req: PlacementRequest,
  warmup: WarmupRule,
): LiveInstance[] {
  const exclude = req.exclude && req.exclude.length > 0 ? new Set(req.exclude) : undefined;
  const out: LiveInstance[] = [];
  for (const instance of instances) {
    if (instance.tier !== req.tier) continue;
    if (exclude?.has(instance.instanceId)) continue;
    if (req.warmup === true && !(instanceLoad(instance) < warmup.maxLoad && instance.waitingPromptTokens <= warmup.maxQueuedPrefillTokens)) continue;
    out.push(instance);
  }
  return out.sort(byInstanceId);
}

export function byInstanceId(a: LiveInstance, b: LiveInstance): number {
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}
