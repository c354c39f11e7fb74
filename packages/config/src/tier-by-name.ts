import type { TierConfig, WeirConfig } from "./types.js";

/** The tier called `name`, or undefined when weir.yaml has none by that name. */
export function tierByName(config: WeirConfig, name: string): TierConfig | undefined {
  return config.tiers.find((tier) => tier.name === name);
}
