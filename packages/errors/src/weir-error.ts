import { ErrorCode } from "@weir/proto";

export interface WeirErrorOptions {
  /** The request field at fault, when there is one (e.g. "messages"). */
  field?: string;
  /** The service that raised the error (gateway, router, ...). */
  service?: string;
  /** For RESOURCE_EXHAUSTED: how long the client should wait, in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error type that crosses Weir's boundaries. Every failure that can
 * reach a user is a WeirError with a code and a sentence saying what to do;
 * the code maps to an HTTP status, a gRPC status and a NATS service error
 * code in one table (./code-map.ts).
 */
export class WeirError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly service: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: WeirErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WeirError";
    this.code = code;
    this.field = options.field;
    this.service = options.service;
    this.retryAfterMs = options.retryAfterMs;
  }

  static invalidArgument(message: string, field?: string): WeirError {
    return new WeirError(ErrorCode.INVALID_ARGUMENT, message, field === undefined ? {} : { field });
  }
  static notFound(message: string, field?: string): WeirError {
    return new WeirError(ErrorCode.NOT_FOUND, message, field === undefined ? {} : { field });
  }
  static unavailable(message: string, cause?: unknown): WeirError {
    return new WeirError(ErrorCode.UNAVAILABLE, message, cause === undefined ? {} : { cause });
  }
  static deadlineExceeded(message: string): WeirError {
    return new WeirError(ErrorCode.DEADLINE_EXCEEDED, message);
  }
  static resourceExhausted(message: string, retryAfterMs?: number): WeirError {
    return new WeirError(
      ErrorCode.RESOURCE_EXHAUSTED,
      message,
      retryAfterMs === undefined ? {} : { retryAfterMs },
    );
  }
  static internal(message: string, cause?: unknown): WeirError {
    return new WeirError(ErrorCode.INTERNAL, message, cause === undefined ? {} : { cause });
  }
  static cancelled(message: string): WeirError {
    return new WeirError(ErrorCode.CANCELLED, message);
  }
}

export function isWeirError(err: unknown): err is WeirError {
  return err instanceof WeirError;
}

/**
 * Any thrown value as a WeirError. Unknown failures become INTERNAL with the
 * original message kept, so nothing is swallowed.
 */
export function toWeirError(err: unknown, service?: string): WeirError {
  if (err instanceof WeirError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new WeirError(ErrorCode.INTERNAL, `internal error: ${message}`, {
    cause: err,
    ...(service === undefined ? {} : { service }),
  });
}
