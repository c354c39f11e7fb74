import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { installTestTracing } from "./tracing.js";

const tracing = installTestTracing();
beforeEach(() => tracing.reset());
afterAll(() => tracing.uninstall());

const tracer = trace.getTracer("testkit-test");

describe("installTestTracing", () => {
  it("records ended spans with their parent, kind, attributes, status and events", async () => {
    await tracer.startActiveSpan("parent", { kind: SpanKind.SERVER }, async (parent) => {
      await new Promise((resolve) => setImmediate(resolve));
      // The active span survived the await: the child's parent is `parent`.
      const child = tracer.startSpan("child", { kind: SpanKind.CLIENT, attributes: { "a.b": 1 } });
      child.recordException(new Error("boom"));
      child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
      child.end();
      parent.end();
    });
    const [child, parent] = tracing.finishedSpans();
    expect(parent).toMatchObject({ name: "parent", kind: SpanKind.SERVER, parentSpanId: undefined, scope: "testkit-test" });
    expect(child).toMatchObject({
      name: "child",
      kind: SpanKind.CLIENT,
      traceId: parent?.traceId,
      parentSpanId: parent?.spanId,
      parentIsRemote: false,
      attributes: { "a.b": 1 },
      status: { code: SpanStatusCode.ERROR, message: "boom" },
    });
    expect(child?.events.map((e) => e.name)).toEqual(["exception"]);
    expect(child?.events[0]?.attributes["exception.message"]).toBe("boom");
  });

  it("propagates W3C traceparent, and continues a remote parent", () => {
    const span = tracer.startSpan("out");
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
    const { traceId, spanId } = span.spanContext();
    expect(carrier["traceparent"]).toBe(`00-${traceId}-${spanId}-01`);
    span.end();

    const remote = propagation.extract(ROOT_CONTEXT, carrier);
    context.with(remote, () => tracer.startSpan("in").end());
    expect(tracing.finishedSpans().at(-1)).toMatchObject({ name: "in", traceId, parentSpanId: spanId, parentIsRemote: true });
  });

  it("tells which spans are still open, and forgets everything on reset", () => {
    const a = tracer.startSpan("a");
    tracer.startSpan("b").end();
    expect(tracing.openSpanNames()).toEqual(["a"]);
    expect(tracing.finishedSpans().map((s) => s.name)).toEqual(["b"]);
    a.end();
    expect(tracing.openSpanNames()).toEqual([]);
    tracing.reset();
    expect(tracing.finishedSpans()).toEqual([]);
  });

  it("refuses a second install while the first is in place", () => {
    expect(() => installTestTracing()).toThrow(/already registered/);
  });
});
