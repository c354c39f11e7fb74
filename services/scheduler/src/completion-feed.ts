// Workers' finished generations (GenerationCompleted on
// weir.worker.completed.>) fed to each tier's placement policy, so the
// length-aware policy's output-length estimator learns real lengths in the
// live stack as it does in `weir sim-bench`. A plain subscription, not a
// queue group: every scheduler replica keeps its own estimator.

import { fromBinary } from "@bufbuild/protobuf";
import { type Bus, Subjects } from "@weir/bus";
import { type GenerationCompleted, GenerationCompletedSchema } from "@weir/proto";
import type { TierPolicies } from "./tier-policies.js";

export function observeCompletions(
  bus: Bus,
  policies: TierPolicies,
  o: { onObserved?: (c: GenerationCompleted) => void; onError?: (err: unknown) => void } = {},
): { unsubscribe(): void } {
  const sub = bus.nc.subscribe(Subjects.generationCompletedAll, {
    callback: (err, msg) => {
      if (err !== null) return o.onError?.(err);
      let c: GenerationCompleted;
      try {
        c = fromBinary(GenerationCompletedSchema, msg.data);
      } catch (e) {
        return o.onError?.(e);
      }
      // Only tiers this scheduler places (of() would create a policy for any name).
      const policy = policies.entries().find(([tier]) => tier === c.tier)?.[1];
      if (policy === undefined) return;
      policy.observe?.({ tier: c.tier, promptTokens: c.promptTokens }, c.completionTokens);
      o.onObserved?.(c);
    },
  });
  return { unsubscribe: () => sub.unsubscribe() };
}
