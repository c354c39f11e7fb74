import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startReceiver } from "./test-support/otlp-receiver.js";
import { distEntry, runScript } from "./test-support/run-script.js";

// Each case runs in its own node process: startTelemetry registers global
// providers, which would leak between cases in the test runner's process.

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** A script that starts telemetry, ends one span, flushes and reports. */
const exportOneSpan = `
import { startTelemetry, tracer, Attr, SpanNames } from ${JSON.stringify(distEntry)};
const telemetry = startTelemetry({ serviceName: "test-svc", serviceVersion: "1.2.3" });
const again = startTelemetry({ serviceName: "other" });
const span = tracer().startSpan(SpanNames.cascade);
span.setAttribute(Attr.tier, "small");
span.setAttribute(Attr.qeScore, 0.75);
const { traceId } = span.spanContext();
const recording = span.isRecording();
span.end();
await telemetry.shutdown();
console.log(JSON.stringify({ exporting: telemetry.exporting, same: again === telemetry, traceId, recording }));
`;

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as Record<string, unknown>;
}

describe("startTelemetry", () => {
  it("exports spans over OTLP/HTTP JSON when the OTEL_* variables say so", async () => {
    const result = await runScript(exportOneSpan, {
      env: {
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = lastJson(result.stdout);
    expect(report["exporting"]).toBe(true);
    expect(report["same"]).toBe(true); // idempotent: the second call is the first handle

    expect(receiver.spans).toHaveLength(1);
    const span = receiver.spans[0];
    expect(span?.name).toBe("weir.cascade");
    expect(span?.attributes).toMatchObject({ "weir.tier": "small", "weir.qe.score": 0.75 });
    expect(span?.resource).toMatchObject({ "service.name": "test-svc", "service.version": "1.2.3" });
    // OTLP/JSON carries ids as hex strings.
    expect(span?.traceId).toBe(report["traceId"]);
  });

  it("exports on the batch schedule from OTEL_BSP_SCHEDULE_DELAY, without waiting for shutdown", async () => {
    // The script never flushes and would linger 8 s; only the batch timer
    // (50 ms here, 5 s by default) can deliver the span before we kill it.
    const script = `
import { startTelemetry, tracer } from ${JSON.stringify(distEntry)};
startTelemetry({ serviceName: "batch-svc" });
tracer().startSpan("weir.worker.generate").end();
setTimeout(() => {}, 8000);
`;
    const stop = new AbortController();
    const run = runScript(script, {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "50" },
      timeoutMs: 8000,
      signal: stop.signal,
    });
    const span = await receiver.waitForSpan(4000);
    expect(span.name).toBe("weir.worker.generate");
    expect(span.resource["service.name"]).toBe("batch-svc");
    stop.abort();
    await run;
  }, 15_000);

  it("with no exporter or endpoint set, records nothing and opens no connection, yet trace ids stay valid", async () => {
    // Count every TCP connection the process attempts (HTTP and gRPC
    // exporters both go through net.Socket#connect).
    const script = `
import net from "node:net";
let connects = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connects++; return connect.apply(this, args); };
${exportOneSpan.replace("console.log(JSON.stringify({", "console.log(JSON.stringify({ connects,")}
`;
    const result = await runScript(script);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = lastJson(result.stdout);
    expect(report["exporting"]).toBe(false);
    expect(report["connects"]).toBe(0);
    // Nothing is recorded (no exporter to send it to), but spans still carry
    // valid ids, so trace context propagates to the next hop and the logs.
    expect(report["recording"]).toBe(false);
    expect(report["traceId"]).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  });

  it("defaults to OTLP over HTTP/protobuf when only an endpoint is set", async () => {
    const result = await runScript(exportOneSpan, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    expect(result.code).toBe(0);
    expect(lastJson(result.stdout)["exporting"]).toBe(true);
    expect(receiver.contentTypes).toEqual(["application/x-protobuf"]);
  });

  it("treats OTEL_TRACES_EXPORTER=none as no export even with an endpoint", async () => {
    const result = await runScript(exportOneSpan, {
      env: { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
    });
    expect(result.code).toBe(0);
    expect(lastJson(result.stdout)["exporting"]).toBe(false);
    expect(receiver.requests()).toBe(0);
  });

  it("does nothing when OTEL_SDK_DISABLED=true", async () => {
    const result = await runScript(exportOneSpan, {
      env: { OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
    });
    expect(result.code).toBe(0);
    const report = lastJson(result.stdout);
    expect(report["exporting"]).toBe(false);
    expect(report["recording"]).toBe(false); // the API's no-op tracer
    expect(receiver.requests()).toBe(0);
  });
});
