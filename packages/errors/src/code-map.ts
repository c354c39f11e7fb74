import { ErrorCode } from "@weir/proto";

/** gRPC status codes (numeric, as in @grpc/grpc-js `status`). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

interface CodeRow {
  readonly http: number;
  readonly grpc: number;
  /** The OpenAI-style `error.type` in HTTP bodies. */
  readonly type: string;
}

/**
 * One table for every boundary. NATS service errors carry the HTTP number as
 * their code (the NATS micro convention) and the ErrorInfo in a header.
 */
const TABLE: Record<ErrorCode, CodeRow> = {
  [ErrorCode.UNSPECIFIED]: { http: 500, grpc: GrpcStatus.UNKNOWN, type: "server_error" },
  [ErrorCode.INVALID_ARGUMENT]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT, type: "invalid_request_error" },
  [ErrorCode.NOT_FOUND]: { http: 404, grpc: GrpcStatus.NOT_FOUND, type: "not_found_error" },
  [ErrorCode.UNAVAILABLE]: { http: 503, grpc: GrpcStatus.UNAVAILABLE, type: "service_unavailable" },
  [ErrorCode.DEADLINE_EXCEEDED]: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED, type: "timeout" },
  [ErrorCode.RESOURCE_EXHAUSTED]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED, type: "rate_limit_exceeded" },
  [ErrorCode.PAYLOAD_TOO_LARGE]: { http: 413, grpc: GrpcStatus.INVALID_ARGUMENT, type: "invalid_request_error" },
  [ErrorCode.INTERNAL]: { http: 500, grpc: GrpcStatus.INTERNAL, type: "server_error" },
  [ErrorCode.CANCELLED]: { http: 499, grpc: GrpcStatus.CANCELLED, type: "cancelled" },
  [ErrorCode.FAILED_PRECONDITION]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION, type: "invalid_request_error" },
};

export function httpStatusOf(code: ErrorCode): number {
  return TABLE[code].http;
}
export function grpcStatusOf(code: ErrorCode): number {
  return TABLE[code].grpc;
}
export function openAiTypeOf(code: ErrorCode): string {
  return TABLE[code].type;
}
/** The lower-case code name used in bodies and logs, e.g. "invalid_argument". */
export function codeName(code: ErrorCode): string {
  const name = ErrorCode[code] ?? "UNSPECIFIED";
  return name.toLowerCase();
}

/** Reverse map for errors that arrive as gRPC statuses. */
export function codeFromGrpcStatus(grpc: number): ErrorCode {
  switch (grpc) {
    case GrpcStatus.CANCELLED:
      return ErrorCode.CANCELLED;
    case GrpcStatus.INVALID_ARGUMENT:
      return ErrorCode.INVALID_ARGUMENT;
    case GrpcStatus.DEADLINE_EXCEEDED:
      return ErrorCode.DEADLINE_EXCEEDED;
    case GrpcStatus.NOT_FOUND:
      return ErrorCode.NOT_FOUND;
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return ErrorCode.RESOURCE_EXHAUSTED;
    case GrpcStatus.FAILED_PRECONDITION:
      return ErrorCode.FAILED_PRECONDITION;
    case GrpcStatus.UNAVAILABLE:
      return ErrorCode.UNAVAILABLE;
    default:
      return ErrorCode.INTERNAL;
  }
}

/** Reverse map for errors that arrive as NATS service error codes (HTTP numbers). */
export function codeFromHttpStatus(http: number): ErrorCode {
  for (const [code, row] of Object.entries(TABLE)) {
    if (row.http === http && Number(code) !== ErrorCode.UNSPECIFIED) return Number(code) as ErrorCode;
  }
  return ErrorCode.INTERNAL;
}
