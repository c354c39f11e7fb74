import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { ErrorCode, ErrorInfoSchema, type ErrorInfo } from "@weir/proto";
import { WeirError } from "./weir-error.js";

/** The protobuf ErrorInfo for a WeirError (what crosses NATS and gRPC). */
export function toErrorInfo(err: WeirError): ErrorInfo {
  return create(ErrorInfoSchema, {
    code: err.code,
    message: err.message,
    field: err.field ?? "",
    service: err.service ?? "",
    retryAfterMs: err.retryAfterMs ?? 0,
  });
}

export function encodeErrorInfo(err: WeirError): Uint8Array {
  return toBinary(ErrorInfoSchema, toErrorInfo(err));
}

/** Rebuilds a WeirError from ErrorInfo bytes; undefined when they do not parse. */
export function decodeErrorInfo(bytes: Uint8Array): WeirError | undefined {
  try {
    const info = fromBinary(ErrorInfoSchema, bytes);
    if (info.code === ErrorCode.UNSPECIFIED && info.message === "") return undefined;
    return fromErrorInfo(info);
  } catch {
    return undefined;
  }
}

export function fromErrorInfo(info: ErrorInfo): WeirError {
  return new WeirError(info.code, info.message, {
    ...(info.field ? { field: info.field } : {}),
    ...(info.service ? { service: info.service } : {}),
    ...(info.retryAfterMs ? { retryAfterMs: info.retryAfterMs } : {}),
  });
}
