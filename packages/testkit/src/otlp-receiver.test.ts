import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./otlp-receiver.js";

const TRACE_ID = "5b8efff798038103d269b633813fc60c";
const CLIENT_ID = "eee19b7ec3c1b174";
const SERVER_ID = "eee19b7ec3c1b173";

/** What @opentelemetry/exporter-trace-otlp-http posts with OTEL_EXPORTER_OTLP_PROTOCOL=http/json. */
const jsonExport = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: "service.name", value: { stringValue: "router" } },
          { key: "service.version", value: { stringValue: "0.1.0" } },
        ],
        droppedAttributesCount: 0,
      },
      scopeSpans: [
        {
          scope: { name: "@weir/bus", version: "" },
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SERVER_ID,
              parentSpanId: CLIENT_ID,
              name: "weir.router.plan",
              kind: 2,
              startTimeUnixNano: "1700000000000000000",
              endTimeUnixNano: "1700000000005000000",
              attributes: [
                { key: "messaging.system", value: { stringValue: "nats" } },
                { key: "weir.attempt", value: { intValue: 2 } },
                { key: "weir.big", value: { intValue: "42" } },
                { key: "weir.score", value: { doubleValue: 0.75 } },
                { key: "weir.cached", value: { boolValue: true } },
                { key: "weir.tiers", value: { arrayValue: { values: [{ stringValue: "small" }, { stringValue: "large" }] } } },
              ],
              droppedAttributesCount: 0,
              events: [
                {
                  name: "exception",
                  timeUnixNano: "1700000000004000000",
                  attributes: [{ key: "exception.message", value: { stringValue: "boom" } }],
                },
              ],
              status: { code: 2, message: "internal error: boom" },
              links: [],
              flags: 257,
            },
          ],
        },
      ],
    },
  ],
};

describe("startOtlpReceiver", () => {
  const receivers: Awaited<ReturnType<typeof startOtlpReceiver>>[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
  });
  const start = async () => {
    const r = await startOtlpReceiver();
    receivers.push(r);
    return r;
  };
  const post = (url: string, body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(url, { method: "POST", body, headers });

  it("flattens an OTLP/JSON export into spans", async () => {
    const receiver = await start();
    expect(receiver.tracesUrl).toBe(`${receiver.url}/v1/traces`);
    const res = await post(receiver.tracesUrl, JSON.stringify(jsonExport), { "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(receiver.spans()).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SERVER_ID,
        parentSpanId: CLIENT_ID,
        name: "weir.router.plan",
        kind: "SERVER",
        serviceName: "router",
        attributes: {
          "messaging.system": "nats",
          "weir.attempt": 2,
          "weir.big": 42,
          "weir.score": 0.75,
          "weir.cached": true,
          "weir.tiers": ["small", "large"],
        },
        startTimeUnixNano: 1700000000000000000n,
        endTimeUnixNano: 1700000000005000000n,
        status: { code: "ERROR", message: "internal error: boom" },
        events: [{ name: "exception", timeUnixNano: 1700000000004000000n, attributes: { "exception.message": "boom" } }],
        scope: "@weir/bus",
        resource: { "service.name": "router", "service.version": "0.1.0" },
      },
    ]);
  });

  it("accepts gzip and root spans, and waitForSpans resolves when the predicate holds", async () => {
    const receiver = await start();
    const waiting = receiver.waitForSpans((spans) => spans.some((s) => s.name === "root"), 2000);
    const root = { traceId: TRACE_ID, spanId: CLIENT_ID, parentSpanId: "", name: "root", kind: 3, startTimeUnixNano: 1, endTimeUnixNano: 2 };
    const body = gzipSync(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [root] }] }] }));
    const res = await post(receiver.tracesUrl, body, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    const spans = await waiting;
    expect(spans[0]).toMatchObject({ name: "root", kind: "CLIENT", parentSpanId: undefined, serviceName: "", status: { code: "UNSET" } });
    receiver.clear();
    expect(receiver.spans()).toEqual([]);
  });

  it("decodes an OTLP/protobuf export (the JS default protocol)", async () => {
    const receiver = await start();
    const res = await post(receiver.tracesUrl, protobufExport(), { "content-type": "application/x-protobuf" });
    expect(res.status).toBe(200);
    expect(receiver.spans()).toEqual([
      expect.objectContaining({
        traceId: TRACE_ID,
        spanId: SERVER_ID,
        parentSpanId: CLIENT_ID,
        name: "weir.router.plan",
        kind: "SERVER",
        serviceName: "router",
        attributes: { "messaging.system": "nats", "weir.attempt": 2, "weir.score": 0.5, "weir.cached": true },
        startTimeUnixNano: 1700000000000000000n,
        endTimeUnixNano: 1700000000005000000n,
        status: { code: "ERROR", message: "boom" },
        scope: "@weir/bus",
      }),
    ]);
  });

  it("rejects other paths, content types and bad bodies", async () => {
    const receiver = await start();
    expect((await post(`${receiver.url}/v1/metrics`, "{}", { "content-type": "application/json" })).status).toBe(404);
    expect((await post(receiver.tracesUrl, "x", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(receiver.tracesUrl, "{not json", { "content-type": "application/json" })).status).toBe(400);
    await expect(receiver.waitForSpans((s) => s.length > 0, 100)).rejects.toThrow(/not met within 100 ms/);
  });
});

/** The same span as jsonExport, encoded by hand as ExportTraceServiceRequest. */
function protobufExport(): Uint8Array {
  const hex = (h: string) => Buffer.from(h, "hex");
  const kv = (key: string, value: (w: BinaryWriter) => void) => {
    const any = new BinaryWriter();
    value(any);
    return new BinaryWriter().tag(1, 2).string(key).tag(2, 2).bytes(any.finish()).finish();
  };
  const span = new BinaryWriter()
    .tag(1, 2).bytes(hex(TRACE_ID))
    .tag(2, 2).bytes(hex(SERVER_ID))
    .tag(4, 2).bytes(hex(CLIENT_ID))
    .tag(5, 2).string("weir.router.plan")
    .tag(6, 0).int32(2)
    .tag(7, 1).fixed64(1700000000000000000n)
    .tag(8, 1).fixed64(1700000000005000000n)
    .tag(9, 2).bytes(kv("messaging.system", (w) => w.tag(1, 2).string("nats")))
    .tag(9, 2).bytes(kv("weir.attempt", (w) => w.tag(3, 0).int64(2)))
    .tag(9, 2).bytes(kv("weir.score", (w) => w.tag(4, 1).double(0.5)))
    .tag(9, 2).bytes(kv("weir.cached", (w) => w.tag(2, 0).bool(true)))
    .tag(15, 2).bytes(new BinaryWriter().tag(2, 2).string("boom").tag(3, 0).int32(2).finish())
    .tag(16, 5).fixed32(257)
    .finish();
  const scope = new BinaryWriter().tag(1, 2).string("@weir/bus").finish();
  const scopeSpans = new BinaryWriter().tag(1, 2).bytes(scope).tag(2, 2).bytes(span).finish();
  const resource = new BinaryWriter().tag(1, 2).bytes(kv("service.name", (w) => w.tag(1, 2).string("router"))).finish();
  const resourceSpans = new BinaryWriter().tag(1, 2).bytes(resource).tag(2, 2).bytes(scopeSpans).finish();
  return new BinaryWriter().tag(1, 2).bytes(resourceSpans).finish();
}
