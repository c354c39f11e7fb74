import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { OtlpAnyValue, OtlpKeyValue, OtlpSpan, OtlpTraceRequest } from "./otlp-spans.js";

/**
 * Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest (the OpenTelemetry
 * JS default, http/protobuf) into the OTLP/JSON shape, so a service exporting
 * either way can be asserted on. Field numbers are from
 * opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto;
 * fields not listed are skipped.
 */
export function decodeTraceRequest(bytes: Uint8Array): OtlpTraceRequest {
  const resourceSpans: NonNullable<OtlpTraceRequest["resourceSpans"]> = [];
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 1) resourceSpans.push(resourceSpansOf(r.bytes()));
    else return false;
    return true;
  });
  return { resourceSpans };
}

type FieldFn = (r: BinaryReader, field: number, wire: WireType) => boolean;

/** Calls `fn` for each field; fields it does not consume (returns false) are skipped. */
function each(r: BinaryReader, fn: FieldFn): void {
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (!fn(r, field, wire)) r.skip(wire, field);
  }
}

function resourceSpansOf(bytes: Uint8Array): NonNullable<OtlpTraceRequest["resourceSpans"]>[number] {
  let attributes: OtlpKeyValue[] = [];
  const scopeSpans: { scope?: { name?: string }; spans?: OtlpSpan[] }[] = [];
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 1) attributes = attributesOf(r.bytes(), 1);
    else if (field === 2) scopeSpans.push(scopeSpansOf(r.bytes()));
    else return false;
    return true;
  });
  return { resource: { attributes }, scopeSpans };
}

function scopeSpansOf(bytes: Uint8Array): { scope: { name: string }; spans: OtlpSpan[] } {
  let name = "";
  const spans: OtlpSpan[] = [];
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 1) {
      each(new BinaryReader(r.bytes()), (s, f) => {
        if (f !== 1) return false;
        name = s.string();
        return true;
      });
    } else if (field === 2) spans.push(spanOf(r.bytes()));
    else return false;
    return true;
  });
  return { scope: { name }, spans };
}

function spanOf(bytes: Uint8Array): OtlpSpan {
  const span: OtlpSpan = { attributes: [], events: [] };
  each(new BinaryReader(bytes), (r, field) => {
    switch (field) {
      case 1:
        span.traceId = hex(r.bytes());
        return true;
      case 2:
        span.spanId = hex(r.bytes());
        return true;
      case 4:
        span.parentSpanId = hex(r.bytes());
        return true;
      case 5:
        span.name = r.string();
        return true;
      case 6:
        span.kind = r.int32();
        return true;
      case 7:
        span.startTimeUnixNano = String(r.fixed64());
        return true;
      case 8:
        span.endTimeUnixNano = String(r.fixed64());
        return true;
      case 9:
        span.attributes?.push(keyValueOf(r.bytes()));
        return true;
      case 11:
        span.events?.push(eventOf(r.bytes()));
        return true;
      case 15:
        span.status = statusOf(r.bytes());
        return true;
      default:
        return false;
    }
  });
  return span;
}

function eventOf(bytes: Uint8Array): NonNullable<OtlpSpan["events"]>[number] {
  const event: NonNullable<OtlpSpan["events"]>[number] = { attributes: [] };
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 1) event.timeUnixNano = String(r.fixed64());
    else if (field === 2) event.name = r.string();
    else if (field === 3) event.attributes?.push(keyValueOf(r.bytes()));
    else return false;
    return true;
  });
  return event;
}

function statusOf(bytes: Uint8Array): { code: number; message: string } {
  const status = { code: 0, message: "" };
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 2) status.message = r.string();
    else if (field === 3) status.code = r.int32();
    else return false;
    return true;
  });
  return status;
}

/** The repeated KeyValue field `field` of a message (Resource.attributes is field 1). */
function attributesOf(bytes: Uint8Array, field: number): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  each(new BinaryReader(bytes), (r, f) => {
    if (f !== field) return false;
    out.push(keyValueOf(r.bytes()));
    return true;
  });
  return out;
}

function keyValueOf(bytes: Uint8Array): OtlpKeyValue {
  const kv: OtlpKeyValue = {};
  each(new BinaryReader(bytes), (r, field) => {
    if (field === 1) kv.key = r.string();
    else if (field === 2) kv.value = anyValueOf(r.bytes());
    else return false;
    return true;
  });
  return kv;
}

function anyValueOf(bytes: Uint8Array): OtlpAnyValue {
  const v: OtlpAnyValue = {};
  each(new BinaryReader(bytes), (r, field) => {
    switch (field) {
      case 1:
        v.stringValue = r.string();
        return true;
      case 2:
        v.boolValue = r.bool();
        return true;
      case 3:
        v.intValue = String(r.int64());
        return true;
      case 4:
        v.doubleValue = r.double();
        return true;
      case 5:
        v.arrayValue = { values: attributesAnyOf(r.bytes()) };
        return true;
      case 6:
        v.kvlistValue = { values: attributesOf(r.bytes(), 1) };
        return true;
      case 7:
        v.bytesValue = Buffer.from(r.bytes()).toString("base64");
        return true;
      default:
        return false;
    }
  });
  return v;
}

function attributesAnyOf(bytes: Uint8Array): OtlpAnyValue[] {
  const out: OtlpAnyValue[] = [];
  each(new BinaryReader(bytes), (r, field) => {
    if (field !== 1) return false;
    out.push(anyValueOf(r.bytes()));
    return true;
  });
  return out;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
