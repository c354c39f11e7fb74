import { Match, type MsgHdrs } from "@nats-io/nats-core";
import { ROOT_CONTEXT, context, propagation, type Context, type TextMapGetter, type TextMapSetter } from "@opentelemetry/api";

/**
 * nats.js v3 has no OpenTelemetry instrumentation, so W3C trace context
 * (traceparent/tracestate, baggage) travels in NATS message headers through
 * whatever propagator the application registered (@weir/telemetry registers
 * tracecontext + baggage). Without one these are no-ops.
 */
const setter: TextMapSetter<MsgHdrs> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

const getter: TextMapGetter<MsgHdrs | undefined> = {
  keys(carrier) {
    return carrier === undefined ? [] : carrier.keys();
  },
  get(carrier, key) {
    // Other clients may send "Traceparent"; MsgHdrs.get returns "" when absent.
    const value = carrier?.get(key, Match.IgnoreCase);
    return value === undefined || value === "" ? undefined : value;
  },
};

/** Writes the trace context of `ctx` (default: the active one) into `h`. */
export function injectTraceHeaders(h: MsgHdrs, ctx: Context = context.active()): void {
  propagation.inject(ctx, h, setter);
}

/**
 * The remote trace context carried by `h`, on top of `base`. The base defaults
 * to ROOT_CONTEXT, not the active context: a NATS callback runs in whatever
 * context the connection was created in, and a server span must not become
 * the child of that.
 */
export function extractTraceContext(h?: MsgHdrs, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, h, getter);
}
