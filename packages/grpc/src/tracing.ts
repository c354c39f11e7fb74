import type * as grpc from "@grpc/grpc-js";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from "@opentelemetry/api";
import type { DescMethod, DescService } from "@bufbuild/protobuf";

// The API only: without an SDK registered by the application these are no-ops.
// A ProxyTracer resolves the registered provider lazily, so one at load is right.
const tracer = trace.getTracer("@weir/grpc");

/** Reads W3C trace context (traceparent, tracestate) from gRPC metadata. */
const metadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    if (values.length === 1) return typeof values[0] === "string" ? values[0] : undefined;
    return values.filter((v): v is string => typeof v === "string");
  },
};

const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Span name and attributes of one method, built once when the service is added. */
export interface MethodTrace {
  readonly name: string;
  readonly attributes: Attributes;
}

export function methodTrace(service: DescService, method: DescMethod): MethodTrace {
  return {
    name: `${service.typeName}/${method.name}`,
    attributes: { "rpc.system": "grpc", "rpc.service": service.typeName, "rpc.method": method.name },
  };
}

/** A SERVER span parented from the caller's traceparent, and the context to run the handler in. */
export function startServerSpan(t: MethodTrace, metadata: grpc.Metadata): { span: Span; ctx: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
  const span = tracer.startSpan(t.name, { kind: SpanKind.SERVER, attributes: t.attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** A CLIENT span under the active context, with its traceparent injected into `metadata`. */
export function startClientSpan(t: MethodTrace, parent: Context, metadata: grpc.Metadata): Span {
  const span = tracer.startSpan(t.name, { kind: SpanKind.CLIENT, attributes: t.attributes }, parent);
  propagation.inject(trace.setSpan(parent, span), metadata, metadataSetter);
  return span;
}

// OTel semantic conventions: a server span is an error only for codes that
// mean the server failed; a client span for every non-OK code.
const SERVER_ERROR_CODES = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

export function endSpan(span: Span, kind: "server" | "client", code: number, err?: Error): void {
  span.setAttribute("rpc.grpc.status_code", code);
  if (err !== undefined) {
    span.recordException(err);
    if (kind === "client" || SERVER_ERROR_CODES.has(code)) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
  }
  span.end();
}
