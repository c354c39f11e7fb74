import { describe, expect, it } from "vitest";
import { sdkDisabled, tracesExportConfigured } from "./export-config.js";

describe("tracesExportConfigured", () => {
  it("is off when nothing is set (no collector on a laptop, no noise)", () => {
    expect(tracesExportConfigured({})).toBe(false);
    expect(tracesExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toBe(false);
  });

  it("is on with an OTLP endpoint, general or traces-only", () => {
    expect(tracesExportConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
    expect(tracesExportConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" })).toBe(true);
  });

  it("is on with an explicit exporter, off with only none", () => {
    expect(tracesExportConfigured({ OTEL_TRACES_EXPORTER: "otlp" })).toBe(true);
    expect(tracesExportConfigured({ OTEL_TRACES_EXPORTER: "console" })).toBe(true);
    expect(tracesExportConfigured({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toBe(false);
  });

  it("reads OTEL_SDK_DISABLED case-insensitively", () => {
    expect(sdkDisabled({ OTEL_SDK_DISABLED: "TRUE" })).toBe(true);
    expect(sdkDisabled({ OTEL_SDK_DISABLED: "false" })).toBe(false);
    expect(sdkDisabled({})).toBe(false);
  });
});
