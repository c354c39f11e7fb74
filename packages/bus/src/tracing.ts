import type { DescMethod } from "@bufbuild/protobuf";
import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import { codeName, type WeirError } from "@weir/errors";

/**
 * The library only uses the OpenTelemetry API: spans go to whatever provider
 * the application registered (@weir/telemetry) and are no-ops without one.
 * Looked up per call so a provider registered after import is still used.
 */
export function busTracer(): Tracer {
  return trace.getTracer("@weir/bus");
}

/** Messaging + RPC semantic-convention attributes of a request/reply span. */
export function rpcAttributes(subject: string, method: DescMethod): Attributes {
  return {
    "messaging.system": "nats",
    "messaging.destination.name": subject,
    "rpc.system": "nats",
    "rpc.service": method.parent.typeName,
    "rpc.method": method.name,
  };
}

/** Marks a span failed with the error's code (error.type) and message. */
export function recordFailure(span: Span, err: WeirError, cause: unknown): void {
  span.recordException(cause instanceof Error ? cause : err);
  span.setAttribute("error.type", codeName(err.code));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}
