import type { CascadeTier } from "./tiers.js";

/** US dollars for one generation on a tier, from its per-million-token prices. */
export function generationCostUsd(
  pricing: CascadeTier["pricing"],
  promptTokens: number,
  completionTokens: number,
): number {
  return (promptTokens * pricing.inputPerMTok + completionTokens * pricing.outputPerMTok) / 1e6;
}
