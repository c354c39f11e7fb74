/**
 * What the cascade needs to know about a tier: its name (what plans and
 * placements refer to), the model it serves, and its price (for the cost of
 * each step). Structural on purpose, so the cascade does not depend on the
 * config package: a TierConfig from @weir/config fits as is.
 */
export interface CascadeTier {
  name: string;
  model: string;
  pricing: { inputPerMTok: number; outputPerMTok: number };
}
