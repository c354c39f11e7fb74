import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import { type FieldPath, formatPath, valueAt } from "./field-path.js";
import { fieldDocAt, fieldsAt } from "./schema-walk.js";

/** Where a value came from when an environment variable set it: path → variable. */
export type Origins = ReadonlyMap<string, string>;

/** How a bad value reads inside "(got …)": strings quoted, long values cut. */
export function showValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value) && value.length === 0) return "an empty list";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** "weir.yaml: tiers[0]" for a field, "weir.yaml" for the file itself. */
function subject(source: string, path: FieldPath): string {
  return path.length === 0 ? source : `${source}: ${formatPath(path)}`;
}

function unknownKeySentence(schema: z.ZodType, source: string, path: FieldPath, key: string): string {
  const known = fieldsAt(schema, path);
  const guess = didYouMean(key, known);
  const where = subject(source, path);
  return guess === undefined
    ? `${where} has no field "${key}"; remove it or use one of ${known.join(", ")}.`
    : `${where} has no field "${key}"; did you mean "${guess}"?`;
}

/**
 * One sentence per zod issue, naming the field, the bad value and the fix:
 *   weir.yaml: tiers[1].pricing.inputPerMTok must be a number ≥ 0 (got "cheap"); set it to …
 * The wording comes from the FieldDoc on the schema (field-doc.ts);
 * refinements that carry `params.sentence` supply their own clause.
 */
export function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  source: string,
  origins: Origins,
): string[] {
  const sentences: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) sentences.push(unknownKeySentence(schema, source, issue.path, key));
      continue;
    }
    const where = subject(source, issue.path);
    if (issue.code === "custom" && issue.params?.["sentence"] === true) {
      sentences.push(`${where} ${issue.message}.`);
      continue;
    }
    const doc = fieldDocAt(schema, issue.path);
    const value = valueAt(raw, issue.path);
    if (doc === undefined) {
      sentences.push(`${where}: ${issue.message}.`);
    } else if (value === undefined) {
      sentences.push(`${where} is missing; ${doc.fix}.`);
    } else {
      const variable = origins.get(formatPath(issue.path));
      const from = variable === undefined ? "" : ` from ${variable}`;
      sentences.push(`${where} must be ${doc.expected} (got ${showValue(value)}${from}); ${doc.fix}.`);
    }
  }
  // Two checks on one field (a pattern and a refinement, say) read the same.
  return [...new Set(sentences)];
}
