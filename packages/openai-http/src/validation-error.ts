import { WeirError } from "@weir/errors";
import type * as z from "zod";

/**
 * The first schema violation as an INVALID_ARGUMENT naming the field the
 * OpenAI way (`messages[0].content`), so clients can point at it.
 */
export function validationError(error: z.ZodError, body: unknown): WeirError {
  const issue = error.issues[0];
  if (issue === undefined) return WeirError.invalidArgument("the request body is invalid");
  if (issue.path.length === 0) {
    return WeirError.invalidArgument("the request body must be a JSON object");
  }
  const param = paramOf(issue.path);
  // Whatever the rule, a field that is not there at all is simply missing.
  if (valueAt(body, issue.path) === undefined) {
    return WeirError.invalidArgument(`${param} is required`, param);
  }
  return WeirError.invalidArgument(`${param}: ${issue.message}`, param);
}

function paramOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v = body;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
