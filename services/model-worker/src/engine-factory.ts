import type { TierConfig } from "@weir/config";
import { PlaceholderEngine, type Engine } from "@weir/engine";

/**
 * The engine a tier's workers run. Only the PLACEHOLDER engine exists in the
 * platform issue; `sim` (a faithful vLLM-style simulator) and `openai` (any
 * OpenAI-compatible server) arrive with the engines issue.
 */
export function createEngineForTier(tier: TierConfig): Engine {
  switch (tier.engine) {
    case "placeholder":
      return new PlaceholderEngine({
        tier: tier.name,
        tokenDelayMs: tier.engineOptions.tokenDelayMs,
        maxConcurrency: tier.engineOptions.maxConcurrency,
      });
    default:
      throw new Error(
        `tier "${tier.name}" asks for engine "${tier.engine}", which this build does not have yet; use engine: placeholder`,
      );
  }
}
