import { parse as parseYamlScalar } from "yaml";
import { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import { formatPath } from "./field-path.js";
import { unwrap } from "./schema-walk.js";

const PREFIX = "WEIR__";
const SEPARATOR = "__";

export interface OverrideResult {
  /** One sentence per variable that names no setting. */
  problems: string[];
  /** formatPath(path) → the variable that set it, so errors can say "from WEIR__…". */
  origins: Map<string, string>;
}

type Resolved = { path: (string | number)[]; leaf: z.ZodType } | { problem: string };

/** `key` among `keys`, matched exactly, else case-insensitively when that is unambiguous. */
function matchKey(key: string, keys: readonly string[]): string | undefined {
  if (keys.includes(key)) return key;
  const folded = keys.filter((k) => k.toLowerCase() === key.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

/**
 * Resolves the parts of WEIR__a__b__c to a path in the raw config, checking
 * each part against the schema; list elements (tiers) are addressed by name.
 * Case-insensitive, so WEIR__GATEWAY__HTTPPORT works where env names are
 * upper-cased by convention.
 */
function resolve(variable: string, parts: string[], schema: z.ZodType, raw: Record<string, unknown>): Resolved {
  const path: (string | number)[] = [];
  let node = unwrap(schema);
  let value: unknown = raw;
  for (const part of parts) {
    if (node instanceof z.ZodObject) {
      const keys = Object.keys(node.shape);
      const key = matchKey(part, keys);
      if (key === undefined) {
        const guess = didYouMean(part, keys);
        const here = path.length === 0 ? "" : `${formatPath(path)}.`;
        const suggestion =
          guess === undefined
            ? `use one of ${keys.map((k) => `${here}${k}`).join(", ")}.`
            : `did you mean ${PREFIX}${[...pathParts(path, raw), guess].join(SEPARATOR)}?`;
        return { problem: `${variable} names no setting: there is no ${here}${part} in weir.yaml; ${suggestion}` };
      }
      path.push(key);
      node = unwrap((node.shape as Record<string, z.ZodType>)[key] as z.ZodType);
      value = isRecord(value) ? value[key] : undefined;
    } else if (node instanceof z.ZodArray) {
      const items = Array.isArray(value) ? value : [];
      const names = items.map((item) => (isRecord(item) && typeof item["name"] === "string" ? item["name"] : ""));
      const name = matchKey(part, names);
      if (name === undefined) {
        const listed = names.filter((n) => n !== "").join(", ");
        return {
          problem: `${variable} names no setting: there is no ${formatPath(path)} entry named "${part}" in weir.yaml; use one of ${listed === "" ? "(none defined)" : listed}.`,
        };
      }
      const index = names.indexOf(name);
      path.push(index);
      node = unwrap(node.element as z.ZodType);
      value = items[index];
    } else {
      return { problem: `${variable} names no setting: ${formatPath(path)} is a single value with no "${part}" inside; drop "${SEPARATOR}${part}" from the name.` };
    }
  }
  if (node instanceof z.ZodObject || node instanceof z.ZodArray) {
    const example = node instanceof z.ZodObject ? Object.keys(node.shape)[0] : "<name>";
    return {
      problem: `${variable} names the section ${formatPath(path)}, not a value; set one field of it, e.g. ${variable}${SEPARATOR}${example ?? "field"}.`,
    };
  }
  return { path, leaf: node };
}

/** The env-name parts of a resolved path: tier indexes become tier names again. */
function pathParts(path: readonly (string | number)[], raw: Record<string, unknown>): string[] {
  const out: string[] = [];
  let value: unknown = raw;
  for (const part of path) {
    if (typeof part === "number") {
      const item: unknown = Array.isArray(value) ? value[part] : undefined;
      out.push(isRecord(item) && typeof item["name"] === "string" ? item["name"] : String(part));
      value = item;
    } else {
      out.push(part);
      value = isRecord(value) ? value[part] : undefined;
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value an environment string stands for. String fields keep the text
 * as is (a model named "1234" stays a string); other fields read it as a
 * YAML scalar, so "9000" is a number and "true" a boolean. Anything else
 * (a YAML list or mapping, null) stays text for the schema to reject.
 */
function valueFor(text: string, leaf: z.ZodType): unknown {
  if (leaf._zod.def.type === "string") return text;
  try {
    const parsed: unknown = parseYamlScalar(text);
    return parsed === null || typeof parsed === "object" ? text : parsed;
  } catch {
    return text;
  }
}

/** Writes `value` at `path`, creating missing sections; leaves non-sections alone for the schema to report. */
function setAt(raw: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = raw;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      node[part] = value;
      return;
    }
    if (node[part] === undefined || node[part] === null) node[part] = {};
    const next = node[part];
    if (typeof next !== "object" || next === null) return;
    node = next as Record<string | number, unknown>;
  }
}

/**
 * Applies environment overrides to the raw (parsed, not yet validated)
 * config, in place: NATS_URL → nats.url, then every WEIR__<path>=value with
 * "__" between parts and tiers addressed by name (WEIR__gateway__httpPort=9000,
 * WEIR__tiers__small__replicas=2). WEIR__ variables win over NATS_URL; an
 * empty variable is ignored, but its name must still name a setting.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, schema: z.ZodType): OverrideResult {
  const problems: string[] = [];
  const origins = new Map<string, string>();
  const apply = (variable: string, parts: string[], text: string): void => {
    if (parts.length === 0 || parts.some((p) => p === "")) {
      problems.push(`${variable} names no setting; write it as ${PREFIX}<section>${SEPARATOR}<field>, e.g. ${PREFIX}gateway${SEPARATOR}httpPort=9000.`);
      return;
    }
    const resolved = resolve(variable, parts, schema, raw);
    if ("problem" in resolved) {
      problems.push(resolved.problem);
      return;
    }
    // An empty variable (compose's "FOO=" pass-through) changes nothing.
    if (text.trim() === "") return;
    setAt(raw, resolved.path, valueFor(text, resolved.leaf));
    origins.set(formatPath(resolved.path), variable);
  };

  const natsUrl = env["NATS_URL"];
  if (natsUrl !== undefined) apply("NATS_URL", ["nats", "url"], natsUrl);
  // Sorted, so that the outcome never depends on the environment's order.
  for (const variable of Object.keys(env).sort()) {
    const text = env[variable];
    if (!variable.startsWith(PREFIX) || text === undefined) continue;
    apply(variable, variable.slice(PREFIX.length).split(SEPARATOR), text);
  }
  return { problems, origins };
}
