/** The environment variables that ask for spans to be exported somewhere. */
const ENDPOINT_VARS = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"] as const;

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/**
 * Whether the standard OTEL_* variables ask for trace export: an explicit
 * OTEL_TRACES_EXPORTER other than "none", or an OTLP endpoint.
 *
 * The OpenTelemetry default when nothing is set is OTLP to localhost:4318;
 * Weir deliberately differs: with nothing set it exports nothing, so a
 * laptop without a collector gets no connection-refused noise.
 */
export function tracesExportConfigured(env: NodeJS.ProcessEnv): boolean {
  const exporters = (env["OTEL_TRACES_EXPORTER"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (exporters.length > 0) return !exporters.every((s) => s === "none");
  return ENDPOINT_VARS.some((name) => isSet(env[name]));
}

/** OTEL_SDK_DISABLED=true turns the SDK off entirely (spec: case-insensitive "true"). */
export function sdkDisabled(env: NodeJS.ProcessEnv): boolean {
  return (env["OTEL_SDK_DISABLED"] ?? "").trim().toLowerCase() === "true";
}
