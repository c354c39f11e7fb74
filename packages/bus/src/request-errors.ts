import {
  ClosedConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type Msg,
} from "@nats-io/nats-core";
import { ServiceErrorCodeHeader, ServiceErrorHeader } from "@nats-io/services";
import { WeirError, codeFromHttpStatus, decodeErrorInfo, toWeirError } from "@weir/errors";

/** Who was called, for error sentences. */
export interface Callee {
  /** The protobuf service name, e.g. "RouterService". */
  service: string;
  subject: string;
  timeoutMs: number;
}

/**
 * A NATS request failure as a WeirError whose sentence says what is wrong.
 * nats.js wraps most causes in RequestError, so the cause is checked too.
 */
export function fromRequestFailure(err: unknown, callee: Callee): WeirError {
  if (err instanceof WeirError) return err;
  if (isNoResponders(err)) return noResponders(callee);
  if (err instanceof TimeoutError) {
    return WeirError.deadlineExceeded(
      `${callee.service} did not answer on ${callee.subject} within ${callee.timeoutMs} ms`,
    );
  }
  if (err instanceof ClosedConnectionError || err instanceof DrainingConnectionError) {
    return disconnected(callee, err);
  }
  if (err instanceof RequestError) {
    if (err.cause instanceof TimeoutError) return fromRequestFailure(err.cause, callee);
    // No cause: "connection closed" / "connection disconnected" from nats.js.
    return err.cause === undefined ? disconnected(callee, err) : toWeirError(err.cause);
  }
  return toWeirError(err);
}

export function noResponders(callee: Callee): WeirError {
  return WeirError.unavailable(`no ${callee.service} is running: nothing answers on ${callee.subject}`);
}

export function disconnected(callee: Callee, cause?: unknown): WeirError {
  return WeirError.unavailable(
    `the NATS connection is down, so ${callee.service} cannot be reached on ${callee.subject}; ` +
      "it reconnects by itself, retry shortly",
    cause,
  );
}

/**
 * The error carried by a service error reply (Nats-Service-Error-Code set by
 * respondError), or undefined for a normal reply. The payload is our
 * ErrorInfo; a reply from a service that is not ours falls back to the code
 * and description headers.
 */
export function fromServiceErrorReply(reply: Msg, callee: Callee): WeirError | undefined {
  const code = reply.headers?.get(ServiceErrorCodeHeader) ?? "";
  if (code === "") return undefined;
  const decoded = reply.data.length > 0 ? decodeErrorInfo(reply.data) : undefined;
  if (decoded !== undefined) return decoded;
  const status = Number.parseInt(code, 10);
  const description = reply.headers?.get(ServiceErrorHeader) ?? "";
  return new WeirError(
    codeFromHttpStatus(Number.isNaN(status) ? 500 : status),
    description !== "" ? description : `${callee.service} failed on ${callee.subject} with status ${code}`,
  );
}

function isNoResponders(err: unknown): boolean {
  return (
    err instanceof NoRespondersError ||
    (err instanceof RequestError && (err.isNoResponders() || err.cause instanceof NoRespondersError))
  );
}
