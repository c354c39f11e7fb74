// @weir/testkit/tracing: the OpenTelemetry SDK, in memory, for unit tests.
// A subpath of its own so that the main entry does not load OpenTelemetry
// into every test.
import { context, propagation, trace, type Attributes, type SpanKind, type SpanStatus } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** One ended span, flattened (the shape of the OTLP receiver's CollectedSpan where they overlap). */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  /** undefined for a root span. */
  readonly parentSpanId: string | undefined;
  /** True when the parent came from another process (extracted from a carrier: traceparent). */
  readonly parentIsRemote: boolean;
  readonly attributes: Attributes;
  readonly status: SpanStatus;
  /** Span events in order; recordException() adds one named "exception". */
  readonly events: readonly { readonly name: string; readonly attributes: Attributes }[];
  /** The instrumentation scope (tracer name) that made the span. */
  readonly scope: string;
}

export interface TestTracing {
  /** Spans ended since install (or the last reset), in the order they ended. */
  finishedSpans(): FinishedSpan[];
  /** Names of the spans started and not ended yet, in start order. */
  openSpanNames(): string[];
  /** Forgets every span recorded so far. */
  reset(): void;
  /** Shuts the SDK down and unregisters the global provider, propagator and context manager. */
  uninstall(): Promise<void>;
}

/**
 * Registers a real OpenTelemetry SDK globally, as an application's telemetry
 * setup would: a BasicTracerProvider that samples every trace (and follows a
 * remote parent's sampled flag) and exports ended spans to memory at once, the
 * W3C traceparent/tracestate propagator, and an AsyncLocalStorage context
 * manager (the active span survives awaits).
 *
 * Once per test file: the OpenTelemetry API takes one global of each per
 * process, and tracers obtained through the API keep the provider they first
 * saw. Throws when another provider, propagator or context manager is already
 * registered.
 */
export function installTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const open = new OpenSpans();
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [open, new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const registered = {
    trace: trace.setGlobalTracerProvider(provider),
    propagation: propagation.setGlobalPropagator(new W3CTraceContextPropagator()),
    context: context.setGlobalContextManager(contextManager),
  };
  if (!registered.trace || !registered.propagation || !registered.context) {
    // Undo only what this call registered; the earlier registrations stay.
    if (registered.trace) trace.disable();
    if (registered.propagation) propagation.disable();
    if (registered.context) context.disable();
    else contextManager.disable();
    throw new Error("installTestTracing: OpenTelemetry globals are already registered in this process (uninstall() the earlier ones first)");
  }
  return {
    finishedSpans: () => exporter.getFinishedSpans().map(flatten),
    openSpanNames: () => open.names(),
    reset: () => {
      exporter.reset();
      open.clear();
    },
    uninstall: async () => {
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

function flatten(span: ReadableSpan): FinishedSpan {
  const { traceId, spanId } = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    parentIsRemote: span.parentSpanContext?.isRemote === true,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {} })),
    scope: span.instrumentationScope.name,
  };
}

/** Keeps the spans started and not yet ended, so a test can tell that none is left open. */
class OpenSpans implements SpanProcessor {
  readonly #spans = new Set<ReadableSpan>();

  onStart(span: Span): void {
    this.#spans.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.#spans.delete(span);
  }
  names(): string[] {
    return [...this.#spans].map((s) => s.name);
  }
  clear(): void {
    this.#spans.clear();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.#spans.clear();
    return Promise.resolve();
  }
}
