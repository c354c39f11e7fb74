// Test support: an in-memory OpenTelemetry SDK stand-in, built on
// @opentelemetry/api alone (the package depends on nothing more). It records
// spans with their parents, keeps context across awaits (AsyncLocalStorage),
// and reads/writes W3C traceparent headers.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type AttributeValue,
  type Attributes,
  type Context,
  type ContextManager,
  type Exception,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
} from "@opentelemetry/api";

export class MemorySpan implements Span {
  readonly attributes: Record<string, AttributeValue> = {};
  readonly events: { name: string; attributes?: Attributes | undefined }[] = [];
  readonly exceptions: Exception[] = [];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  private readonly ctx: SpanContext;

  constructor(
    public name: string,
    readonly kind: SpanKind,
    readonly parentSpanId: string | undefined,
    traceId: string,
    attributes: Attributes | undefined,
  ) {
    this.ctx = { traceId, spanId: randomBytes(8).toString("hex"), traceFlags: 1 };
    if (attributes !== undefined) this.setAttributes(attributes);
  }
  spanContext(): SpanContext {
    return this.ctx;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    for (const [k, v] of Object.entries(attributes)) if (v !== undefined) this.attributes[k] = v;
    return this;
  }
  addEvent(name: string, attributes?: unknown): this {
    this.events.push({ name, attributes: attributes as Attributes | undefined });
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(name: string): this {
    this.name = name;
    return this;
  }
  end(): void {
    this.ended = true;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: Exception): void {
    this.exceptions.push(exception);
  }
}

class MemoryTracer implements Tracer {
  constructor(private readonly spans: MemorySpan[]) {}
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = trace.getSpanContext(ctx);
    const traceId = parent?.traceId ?? randomBytes(16).toString("hex");
    const span = new MemorySpan(name, options.kind ?? SpanKind.INTERNAL, parent?.spanId, traceId, options.attributes);
    this.spans.push(span);
    return span;
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = (rest.length > 1 ? rest[0] : {}) as SpanOptions;
    const ctx = (rest.length > 2 ? rest[1] : context.active()) as Context;
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), () => fn(span)) as ReturnType<F>;
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
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, fn, undefined, ...args)) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

/** W3C traceparent only (no tracestate, no baggage): enough to test propagation. */
class TraceparentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (sc === undefined) return;
    setter.set(carrier, "traceparent", `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags}`);
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, "traceparent");
    const value = Array.isArray(raw) ? raw[0] : raw;
    const m = value?.match(/^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/);
    if (m === null || m === undefined) return ctx;
    return trace.setSpanContext(ctx, {
      traceId: m[1] as string,
      spanId: m[2] as string,
      traceFlags: Number.parseInt(m[3] as string, 16),
      isRemote: true,
    });
  }
  fields(): string[] {
    return ["traceparent"];
  }
}

/**
 * Installs the in-memory tracing globally (once per test file: the OTel API
 * accepts one global provider per process) and returns the recorded spans.
 */
export function installMemoryTracing(): { spans: MemorySpan[]; reset(): void } {
  const spans: MemorySpan[] = [];
  const tracer = new MemoryTracer(spans);
  context.setGlobalContextManager(new AsyncLocalContextManager());
  trace.setGlobalTracerProvider({ getTracer: () => tracer });
  propagation.setGlobalPropagator(new TraceparentPropagator());
  return { spans, reset: () => void spans.splice(0) };
}
