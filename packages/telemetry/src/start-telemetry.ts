import { trace, type Tracer } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { AlwaysOffSampler, NoopSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { sdkDisabled, tracesExportConfigured } from "./export-config.js";

export interface TelemetryOptions {
  /** service.name: the service's folder name (gateway, router, ...). OTEL_SERVICE_NAME overrides it. */
  serviceName: string;
  /** service.version: the service package's version. */
  serviceVersion?: string;
}

export interface Telemetry {
  /** Whether spans leave the process (an exporter is configured), for the boot log line. */
  readonly exporting: boolean;
  /** Flushes spans still queued, then stops the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
}

let started: Telemetry | undefined;
let defaultTracerName = "weir";
let defaultTracerVersion: string | undefined;

/**
 * Starts OpenTelemetry tracing for this process: W3C tracecontext + baggage
 * propagation, a resource naming the service, and no auto-instrumentation
 * (Weir opens its own spans; patching every module would tax the request
 * path for spans nobody reads).
 *
 * Export follows the standard variables, handled by the NodeSDK itself:
 * OTEL_TRACES_EXPORTER (otlp, console, zipkin), OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL
 * (http/protobuf, http/json, grpc), OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT,
 * OTEL_BSP_* for batching. With neither an exporter nor an endpoint set,
 * spans are still created (so trace ids propagate and reach the logs) but
 * exported nowhere. OTEL_SDK_DISABLED=true turns everything off.
 *
 * Traces only: metrics are Prometheus (see createMetricsRegistry), so the
 * SDK's metric and log exporters are left off.
 *
 * Process-global and idempotent: a second call returns the first handle.
 */
export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (started !== undefined) return started;
  defaultTracerName = opts.serviceName;
  defaultTracerVersion = opts.serviceVersion;

  if (sdkDisabled(process.env)) {
    started = { exporting: false, shutdown: () => Promise.resolve() };
    return started;
  }

  const exporting = tracesExportConfigured(process.env);
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: opts.serviceName,
        ...(opts.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: opts.serviceVersion }),
      }),
    ),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
    // Leaving spanProcessors unset lets the SDK build the exporter from the
    // OTEL_* variables. Without an exporter a no-op processor keeps a real
    // tracer provider registered, and nothing is recorded (AlwaysOff): spans
    // are non-recording but still carry valid trace ids, which propagate to
    // the next hop and reach the logs, at a fraction of a recorded span's cost
    // on the request path.
    ...(exporting ? {} : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  started = {
    exporting,
    shutdown: () => (stopping ??= sdk.shutdown()),
  };
  return started;
}

/**
 * A tracer; by default named after the service given to startTelemetry.
 * Before startTelemetry (or in tests) it is the API's no-op tracer.
 */
export function tracer(name?: string): Tracer {
  return trace.getTracer(name ?? defaultTracerName, name === undefined ? defaultTracerVersion : undefined);
}
