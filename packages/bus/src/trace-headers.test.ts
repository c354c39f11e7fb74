import { headers } from "@nats-io/nats-core";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { installTestTracing } from "@weir/testkit/tracing";
import { describe, expect, it } from "vitest";
import { extractTraceContext, injectTraceHeaders } from "./trace-headers.js";

installTestTracing();

describe("trace headers", () => {
  it("inject then extract gives back the span context, as remote", () => {
    const span = trace.getTracer("test").startSpan("publisher");
    const h = headers();
    injectTraceHeaders(h, trace.setSpan(ROOT_CONTEXT, span));
    const { traceId, spanId } = span.spanContext();
    expect(h.get("traceparent")).toBe(`00-${traceId}-${spanId}-01`);

    const remote = trace.getSpanContext(extractTraceContext(h));
    expect(remote).toMatchObject({ traceId, spanId, isRemote: true });
  });

  it("injects the active context by default and nothing without a span", () => {
    const none = headers();
    injectTraceHeaders(none);
    expect(none.has("traceparent")).toBe(false);

    trace.getTracer("test").startActiveSpan("active", (span) => {
      const h = headers();
      injectTraceHeaders(h);
      expect(h.get("traceparent")).toContain(span.spanContext().spanId);
      span.end();
    });
  });

  it("extracts case-insensitively and tolerates missing headers", () => {
    const h = headers();
    h.set("Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(trace.getSpanContext(extractTraceContext(h))?.spanId).toBe("b7ad6b7169203331");
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext(headers()))).toBeUndefined();
  });
});
