import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanOptions,
  type SpanStatus,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";

/**
 * A minimal in-memory OpenTelemetry implementation for tests. The bus only
 * depends on @opentelemetry/api; the SDK (sdk-trace-base, core's
 * W3CTraceContextPropagator, context-async-hooks) is not a dependency of this
 * package, so the three pieces a test needs are written here against the API:
 * a recording tracer, a W3C traceparent propagator and an AsyncLocalStorage
 * context manager.
 */
export interface RecordedSpan {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, AttributeValue>;
  status: SpanStatus;
  events: { name: string; attributes: Attributes }[];
  ended: boolean;
}

class RecordingSpan implements Span {
  constructor(
    private readonly ctx: SpanContext,
    readonly record: RecordedSpan,
  ) {}
  spanContext(): SpanContext {
    return this.ctx;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    for (const [k, v] of Object.entries(attributes)) if (v !== undefined) this.record.attributes[k] = v;
    return this;
  }
  addEvent(name: string, attributes?: Attributes): this {
    this.record.events.push({ name, attributes: attributes ?? {} });
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    return this;
  }
  end(): void {
    this.record.ended = true;
  }
  isRecording(): boolean {
    return !this.record.ended;
  }
  recordException(exception: Exception): void {
    const message = typeof exception === "string" ? exception : (exception.message ?? "");
    this.addEvent("exception", { "exception.message": message });
  }
}

class RecordingTracer implements Tracer {
  constructor(private readonly spans: RecordedSpan[]) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = options.root === true ? undefined : trace.getSpanContext(ctx);
    const valid = parent !== undefined && isSpanContextValid(parent);
    const spanContext: SpanContext = {
      traceId: valid ? parent.traceId : randomBytes(16).toString("hex"),
      spanId: randomBytes(8).toString("hex"),
      traceFlags: TraceFlags.SAMPLED,
    };
    const record: RecordedSpan = {
      name,
      kind: options.kind ?? 0,
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      parentSpanId: valid ? parent.spanId : undefined,
      attributes: {},
      status: { code: SpanStatusCode.UNSET },
      events: [],
      ended: false,
    };
    this.spans.push(record);
    const span = new RecordingSpan(spanContext, record);
    if (options.attributes !== undefined) span.setAttributes(options.attributes);
    return span;
  }

  startActiveSpan = ((name: string, ...rest: unknown[]) => {
    const fn = rest[rest.length - 1] as (span: Span) => unknown;
    const options = (rest.length >= 2 ? rest[0] : {}) as SpanOptions;
    const ctx = (rest.length >= 3 ? rest[1] : context.active()) as Context;
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn, undefined, span);
  }) as Tracer["startActiveSpan"];
}

/** W3C traceparent only (version 00); enough to test propagation. */
class TraceparentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (sc === undefined || !isSpanContextValid(sc)) return;
    const flags = (sc.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, "0");
    setter.set(carrier, "traceparent", `00-${sc.traceId}-${sc.spanId}-${flags}`);
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, "traceparent");
    const value = Array.isArray(raw) ? raw[0] : raw;
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value ?? "");
    if (m === null) return ctx;
    const [, traceId = "", spanId = "", flags = "00"] = m;
    return trace.setSpanContext(ctx, { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true });
  }
  fields(): string[] {
    return ["traceparent"];
  }
}

class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as unknown as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

export interface TestTracing {
  /** Every span started since install (or the last reset). */
  spans(): RecordedSpan[];
  reset(): void;
}

/** Registers the recording provider, propagator and context manager globally. */
export function installTestTracing(): TestTracing {
  const spans: RecordedSpan[] = [];
  const tracer = new RecordingTracer(spans);
  const provider: TracerProvider = { getTracer: () => tracer };
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new TraceparentPropagator());
  context.setGlobalContextManager(new AsyncLocalContextManager());
  return {
    spans: () => spans,
    reset: () => {
      spans.length = 0;
    },
  };
}
