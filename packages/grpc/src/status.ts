import * as grpc from "@grpc/grpc-js";
import {
  ErrorCode,
  WeirError,
  codeFromGrpcStatus,
  decodeErrorInfo,
  encodeErrorInfo,
  grpcStatusOf,
} from "@weir/errors";

/** Trailing metadata key carrying the ErrorInfo of a failed call (binary, hence -bin). */
export const ERROR_INFO_KEY = "weir-error-bin";

/** The gRPC status a server sends for a WeirError: code, sentence and the full ErrorInfo. */
export function statusOf(err: WeirError): grpc.StatusObject {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_INFO_KEY, Buffer.from(encodeErrorInfo(err)));
  return { code: grpcStatusOf(err.code), details: err.message, metadata };
}

/** Where a client call went, for sentences about failures that carry no ErrorInfo. */
export interface CallSite {
  readonly service: string;
  readonly method: string;
  readonly address: string;
}

/**
 * The WeirError for a failed client call. A Weir server sends the ErrorInfo
 * (code, message, field, service); otherwise the failure came from the
 * transport or a foreign server and gets a sentence naming the callee.
 */
export function errorFromStatus(
  err: grpc.ServiceError,
  site: CallSite,
  call: { readonly deadlineMs?: number | undefined; readonly signal?: AbortSignal | undefined } | undefined,
): WeirError {
  const info = err.metadata?.get(ERROR_INFO_KEY)[0];
  if (info instanceof Buffer) {
    const decoded = decodeErrorInfo(info);
    if (decoded !== undefined) return decoded;
  }
  const code = codeFromGrpcStatus(err.code);
  // CANCELLED that the caller did not ask for came from the other side (a
  // server cutting calls off as it stops): to the caller the callee went away.
  if (code === ErrorCode.CANCELLED && call?.signal?.aborted !== true) {
    return new WeirError(
      ErrorCode.UNAVAILABLE,
      `${site.service} at ${site.address} cut the call to ${site.method} off (it may be shutting down): ${err.details}`,
      { cause: err },
    );
  }
  return new WeirError(code, sentence(code, err.details, site, call?.deadlineMs), { cause: err });
}

function sentence(code: ErrorCode, details: string, site: CallSite, deadlineMs: number | undefined): string {
  switch (code) {
    case ErrorCode.UNAVAILABLE:
      // grpc-js appends an empty "Resolution note:" when DNS had nothing to say.
      return `cannot reach ${site.service} at ${site.address}: ${details.replace(/\s*Resolution note:\s*$/, "")}`;
    case ErrorCode.DEADLINE_EXCEEDED:
      return deadlineMs === undefined
        ? `${site.service}/${site.method} at ${site.address} did not answer in time: ${details}`
        : `${site.service}/${site.method} at ${site.address} did not answer within ${deadlineMs} ms: ${details}`;
    case ErrorCode.CANCELLED:
      return `call to ${site.service}/${site.method} at ${site.address} was cancelled: ${details}`;
    default:
      return details;
  }
}
