// Entry `@weir/telemetry/semconv`: the attribute and span names alone, with
// no OpenTelemetry SDK behind them, for libraries on the request path
// (cascade, openai-http) that only name what they record.
export { Attr, type AttrKey, type AttrName } from "./attributes.js";
export { SpanNames } from "./span-names.js";
