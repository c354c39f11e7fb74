import { ErrorCode, codeName, httpStatusOf, openAiTypeOf, type WeirError } from "@weir/errors";

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
      code: err.code === ErrorCode.NOT_FOUND && err.field === "model" ? "model_not_found" : codeName(err.code),
    },
  };
}

export function httpStatusFor(err: WeirError): number {
  return httpStatusOf(err.code);
}
