import { ConfigError } from "./config-error.js";
import { describeIssues } from "./describe-issues.js";
import { applyEnvOverrides } from "./env-overrides.js";
import { readYaml } from "./read-yaml.js";
import { weirConfigSchema } from "./schema.js";
import type { WeirConfig } from "./types.js";

/**
 * Validates weir.yaml text (plus environment overrides) into a WeirConfig
 * with every default filled in, or throws a ConfigError listing every
 * problem at once, one sentence each.
 *
 * @param env overrides to apply (NATS_URL, WEIR__*); none by default, so
 *   that parsing is a pure function of its arguments. loadConfig passes
 *   process.env.
 * @param source how errors name the file ("weir.yaml").
 */
export function parseConfig(yamlText: string, env: NodeJS.ProcessEnv = {}, source = "weir.yaml"): WeirConfig {
  const raw = readYaml(yamlText, source);
  const { problems, origins } = applyEnvOverrides(raw, env, weirConfigSchema);
  const result = weirConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...describeIssues(weirConfigSchema, result.error.issues, raw, source, origins));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
