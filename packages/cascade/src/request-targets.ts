import { WeirError } from "@weir/errors";
import { StreamingPolicy, type GenerationInput } from "@weir/proto";

/** How a judged rung streams (see early-streaming.ts): the name clients send and CascadeInfo reports. */
export type StreamingPolicyName = "buffered" | "early";

export const STREAMING_POLICIES: readonly StreamingPolicyName[] = ["buffered", "early"];

/**
 * Rejects per-request targets no plan could mean, before anything runs. The
 * same rules hold for the HTTP headers (checked earlier, with the header as
 * param) and the gRPC fields (INVALID_ARGUMENT naming the field). A target
 * that merely cannot be met (a max cost below the cheapest tier's price for
 * this prompt) is not an error: the router plans anyway and says why in
 * targets_note.
 */
export function validateTargets(input: GenerationInput): void {
  const q = input.minQuality;
  if (q !== undefined && !(Number.isFinite(q) && q >= 0 && q <= 1)) {
    throw WeirError.invalidArgument(`min_quality must be a number from 0 to 1, not ${q}`, "min_quality");
  }
  const c = input.maxCostUsd;
  if (c !== undefined && !(Number.isFinite(c) && c > 0)) {
    throw WeirError.invalidArgument(`max_cost_usd must be a number of US dollars greater than 0, not ${c}`, "max_cost_usd");
  }
  if (StreamingPolicy[input.streamingPolicy] === undefined) {
    throw WeirError.invalidArgument(
      `streaming_policy ${input.streamingPolicy} is not a streaming policy: use BUFFERED (1) or EARLY (2), or leave it unset`,
      "streaming_policy",
    );
  }
}

/** The policy a request runs under: its own, or the server's default when it named none. */
export function streamingPolicyOf(input: GenerationInput, fallback: StreamingPolicyName): StreamingPolicyName {
  switch (input.streamingPolicy) {
    case StreamingPolicy.BUFFERED:
      return "buffered";
    case StreamingPolicy.EARLY:
      return "early";
    default:
      return fallback;
  }
}

/** The targets the router honours, as PlanRequest fields (only those the request set). */
export function planTargets(input: GenerationInput): { minQuality?: number; maxCostUsd?: number } {
  return {
    ...(input.minQuality === undefined ? {} : { minQuality: input.minQuality }),
    ...(input.maxCostUsd === undefined ? {} : { maxCostUsd: input.maxCostUsd }),
  };
}
