// Just enough of an OpenTelemetry SDK to observe what @weir/grpc does with the
// API: the SDK packages are not dependencies of this library (applications
// bring them via @weir/telemetry), and @opentelemetry/core is not resolvable here.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  isSpanContextValid,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
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

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C Trace Context `traceparent` only (no tracestate), as in the spec. */
export class W3CTraceParentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (sc === undefined || !isSpanContextValid(sc)) return;
    setter.set(carrier, "traceparent", `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}`);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, "traceparent");
    const match = TRACEPARENT.exec((Array.isArray(header) ? header[0] : header) ?? "");
    if (match === null) return ctx;
    const [, traceId = "", spanId = "", flags = "00"] = match;
    return trace.setSpanContext(ctx, { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true });
  }

  fields(): string[] {
    return ["traceparent"];
  }
}

/** Context across awaits, as the SDK's AsyncLocalStorageContextManager does. */
export class AsyncLocalContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(context, () => fn.apply(thisArg, args));
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target;
    const fn = target as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(context, fn, undefined, ...args)) as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#storage.disable();
    return this;
  }
}

export interface RecordedSpan {
  readonly name: string;
  readonly kind: SpanKind | undefined;
  readonly attributes: Attributes;
  readonly parent: SpanContext | undefined;
  readonly context: SpanContext;
  status: SpanStatus;
  exceptions: unknown[];
  ended: boolean;
}

class RecordingSpan implements Span {
  constructor(readonly record: RecordedSpan) {}
  spanContext(): SpanContext {
    return this.record.context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {
    this.record.ended = true;
  }
  isRecording(): boolean {
    return !this.record.ended;
  }
  recordException(exception: unknown): void {
    this.record.exceptions.push(exception);
  }
}

/** Records every span started through the API, with its parent. */
export class RecordingTracerProvider implements TracerProvider, Tracer {
  readonly spans: RecordedSpan[] = [];

  getTracer(): Tracer {
    return this;
  }

  startSpan(name: string, options: SpanOptions = {}, context?: Context): Span {
    const parent = options.root === true || context === undefined ? undefined : trace.getSpanContext(context);
    const record: RecordedSpan = {
      name,
      kind: options.kind,
      attributes: { ...options.attributes },
      parent,
      context: {
        traceId: parent?.traceId ?? randomBytes(16).toString("hex"),
        spanId: randomBytes(8).toString("hex"),
        traceFlags: 1,
      },
      status: { code: SpanStatusCode.UNSET },
      exceptions: [],
      ended: false,
    };
    this.spans.push(record);
    return new RecordingSpan(record);
  }

  startActiveSpan(): never {
    throw new Error("@weir/grpc does not use startActiveSpan");
  }

  named(name: string): RecordedSpan[] {
    return this.spans.filter((s) => s.name === name);
  }
}
