// @weir/telemetry/metrics: the Prometheus side alone. It loads prom-client
// and nothing of OpenTelemetry, for processes that serve /metrics without
// tracing (the sim-server, which every `weir` command loads).
export { createMetricsRegistry } from "./metrics-registry.js";
export {
  registerSnapshotMetrics,
  type HistogramSnapshotData,
  type MetricsInfo,
  type MetricsSnapshot,
  type SnapshotMetricsSource,
} from "./snapshot-metrics.js";
