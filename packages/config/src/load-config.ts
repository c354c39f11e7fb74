import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";
import type { WeirConfig } from "./types.js";

export interface LoadConfigOptions {
  /** The file to read; default env WEIR_CONFIG, else ./weir.yaml. */
  path?: string;
  /** Where NATS_URL, WEIR_CONFIG and WEIR__* overrides come from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The path as the user knows it: relative to the working directory when inside it. */
function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/**
 * Reads and validates the deployment's weir.yaml at boot. Synchronous on
 * purpose: a service cannot do anything before it has its config. Throws a
 * ConfigError (one sentence per problem) that the service prints before
 * exiting.
 */
export function loadConfig(opts: LoadConfigOptions = {}): WeirConfig {
  const env = opts.env ?? process.env;
  const file = resolve(opts.path ?? (env["WEIR_CONFIG"] || "weir.yaml"));
  const source = displayName(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      code === "ENOENT"
        ? `${source} does not exist; create it (the weir.yaml at the repository root is a commented example) or set WEIR_CONFIG to its path.`
        : `${source} cannot be read (${code ?? String(error)}); check that it is a readable file.`,
    ]);
  }
  return parseConfig(text, env, source);
}
