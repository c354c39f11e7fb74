import { z } from "zod";

/**
 * What a config field must hold and how to fix it, in words a user reads in
 * an error: "<path> must be <expected> (got …); <fix>."
 */
export interface FieldDoc {
  /** A noun phrase: "a number ≥ 0", "one of \"placeholder\", \"sim\"". */
  expected: string;
  /** An imperative clause: "set it to the price in USD per million input tokens". */
  fix: string;
}

/** The field docs, keyed by schema; read back by the error formatter. */
export const fieldDocs = z.registry<FieldDoc>();

/** Attaches a FieldDoc to a schema (before any .default/.optional wrapper). */
export function documented<T extends z.ZodType>(schema: T, expected: string, fix: string): T {
  fieldDocs.add(schema, { expected, fix });
  return schema;
}

/** `one of "a", "b"` for an enum's FieldDoc. */
export function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
}
