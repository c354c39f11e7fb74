export { startTelemetry, tracer, type Telemetry, type TelemetryOptions } from "./start-telemetry.js";
export { tracesExportConfigured } from "./export-config.js";
export { Attr, type AttrKey, type AttrName } from "./attributes.js";
export { SpanNames } from "./span-names.js";
export { attributeDocs, attributeTable } from "./attribute-table.js";
export {
  createMetricsRegistry,
  registerSnapshotMetrics,
  type HistogramSnapshotData,
  type MetricsInfo,
  type MetricsSnapshot,
  type SnapshotMetricsSource,
} from "./metrics.js";
