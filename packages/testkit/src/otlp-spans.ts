/**
 * OTLP/JSON trace export (what @opentelemetry/exporter-trace-otlp-http sends
 * with OTEL_EXPORTER_OTLP_PROTOCOL=http/json), flattened into one record per
 * span. The shapes below are the parts of ExportTraceServiceRequest we read;
 * ids are hex strings, 64-bit integers may be strings or numbers.
 */
export type SpanKindName = "UNSPECIFIED" | "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";
export type StatusCodeName = "UNSET" | "OK" | "ERROR";

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  /** undefined for a root span. */
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKindName;
  /** resource attribute service.name. */
  serviceName: string;
  attributes: Record<string, unknown>;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: { code: StatusCodeName; message: string };
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, unknown> }[];
  /** The instrumentation scope (tracer name) that made the span. */
  scope: string;
  resource: Record<string, unknown>;
}

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}
export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: number | string;
  endTimeUnixNano?: number | string;
  attributes?: OtlpKeyValue[];
  events?: { name?: string; timeUnixNano?: number | string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number; message?: string };
}
export interface OtlpTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
}

// OTLP enum values (note: OTLP kinds are the OpenTelemetry API's SpanKind + 1).
const KINDS: readonly SpanKindName[] = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const STATUS: readonly StatusCodeName[] = ["UNSET", "OK", "ERROR"];

export function flattenSpans(req: OtlpTraceRequest): CollectedSpan[] {
  const out: CollectedSpan[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const resource = toRecord(rs.resource?.attributes);
    const serviceName = typeof resource["service.name"] === "string" ? resource["service.name"] : "";
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const parent = toHexId(span.parentSpanId);
        out.push({
          traceId: toHexId(span.traceId),
          spanId: toHexId(span.spanId),
          parentSpanId: parent === "" || /^0+$/.test(parent) ? undefined : parent,
          name: span.name ?? "",
          kind: KINDS[span.kind ?? 0] ?? "UNSPECIFIED",
          serviceName,
          attributes: toRecord(span.attributes),
          startTimeUnixNano: toBigInt(span.startTimeUnixNano),
          endTimeUnixNano: toBigInt(span.endTimeUnixNano),
          status: { code: STATUS[span.status?.code ?? 0] ?? "UNSET", message: span.status?.message ?? "" },
          events: (span.events ?? []).map((e) => ({
            name: e.name ?? "",
            timeUnixNano: toBigInt(e.timeUnixNano),
            attributes: toRecord(e.attributes),
          })),
          scope: ss.scope?.name ?? "",
          resource,
        });
      }
    }
  }
  return out;
}

function toRecord(kvs: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) if (kv.key !== undefined) out[kv.key] = toValue(kv.value);
  return out;
}

function toValue(v: OtlpAnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(toValue);
  if (v.kvlistValue !== undefined) return toRecord(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return undefined;
}

/** The OTLP/JSON spec says hex; some producers send base64 (the protobuf JSON default). */
function toHexId(id: string | undefined): string {
  if (id === undefined || id === "") return "";
  if (/^[0-9a-fA-F]+$/.test(id) && (id.length === 32 || id.length === 16)) return id.toLowerCase();
  return Buffer.from(id, "base64").toString("hex");
}

function toBigInt(v: number | string | undefined): bigint {
  if (v === undefined || v === "") return 0n;
  return typeof v === "number" ? BigInt(Math.trunc(v)) : BigInt(v);
}
