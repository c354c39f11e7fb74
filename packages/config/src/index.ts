export { loadConfig, type LoadConfigOptions } from "./load-config.js";
export { parseConfig } from "./parse-config.js";
export { ConfigError } from "./config-error.js";
export { tierByName } from "./tier-by-name.js";
export { AUTO_MODEL } from "./schema.js";
export type { PlacementPolicyConfig, PlacementPolicyName, TierConfig, WeirConfig } from "./types.js";
