import type { OutgoingHttpHeaders } from "node:http";
import { ErrorCode, codeName, openAiTypeOf, type WeirError } from "@weir/errors";

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** A WeirError as the body OpenAI clients parse (`{"error": {...}}`). */
export function openAiErrorBody(err: WeirError): OpenAiErrorBody {
  return {
    error: {
      message: err.message,
      type: openAiTypeOf(err.code),
      param: err.field ?? null,
      code: openAiCodeOf(err),
    },
  };
}

/** Headers that go with an error: when to retry a rate-limited request. */
export function errorHeaders(err: WeirError): OutgoingHttpHeaders {
  if (err.retryAfterMs === undefined || err.retryAfterMs <= 0) return {};
  return {
    "retry-after": String(Math.ceil(err.retryAfterMs / 1000)),
    // The official OpenAI clients prefer this one: it keeps sub-second precision.
    "retry-after-ms": String(err.retryAfterMs),
  };
}

// OpenAI's own code where clients branch on it; our code name otherwise.
function openAiCodeOf(err: WeirError): string {
  if (err.code === ErrorCode.NOT_FOUND && err.field === "model") return "model_not_found";
  return codeName(err.code);
}
