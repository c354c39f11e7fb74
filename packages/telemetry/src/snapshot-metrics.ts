import { Counter, Gauge, type Metric, type Registry } from "prom-client";

// An engine's metrics snapshot (plain data keyed by metric name, as
// @weir/sim's metrics() returns it) registered on a prom-client Registry:
// gauges and counters through prom-client's own classes, histograms through
// a small collector that prints the snapshot's buckets as they are,
// because prom-client's Histogram can only observe values, not take counts.
// Used by the model-worker and by @weir/sim-server.

/** A histogram's state: upper bounds, the count in each bucket (not cumulative; one extra for +Inf), sum and count. */
export interface HistogramSnapshotData {
  readonly buckets: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** A snapshot: each metric's current value (gauges), running total (counters) or histogram. */
export type MetricsSnapshot<K extends string = string> = Readonly<Record<K, number | HistogramSnapshotData>>;

/** How to register each metric of a snapshot. */
export type MetricsInfo<K extends string = string> = Readonly<Record<K, { type: "gauge" | "counter" | "histogram"; help: string }>>;

/** A source of snapshot metrics: what each one is, and how to read them all. */
export interface SnapshotMetricsSource<K extends string = string> {
  info: MetricsInfo<K>;
  read: () => MetricsSnapshot<K>;
}

/**
 * Registers every metric of `source.info` on `registry`, read from `source.read()` at
 * scrape time (one snapshot per scrape). Counters get the `_total` suffix
 * vLLM's have. `labels` go on every series (vLLM: model_name).
 */
export function registerSnapshotMetrics<K extends string>(
  registry: Registry,
  source: SnapshotMetricsSource<K>,
  labels: Readonly<Record<string, string>>,
): void {
  const { info, read } = source;
  // Every metric of one scrape reads the same snapshot.
  let cached: { at: number; snapshot: MetricsSnapshot<K> } | undefined;
  const snapshot = (): MetricsSnapshot<K> => {
    const now = performance.now();
    if (cached === undefined || now - cached.at > 100) cached = { at: now, snapshot: read() };
    return cached.snapshot;
  };
  const number = (name: K): number => {
    const v = snapshot()[name];
    return typeof v === "number" ? v : 0;
  };
  const labelNames = Object.keys(labels);
  for (const name of Object.keys(info) as K[]) {
    const { type, help } = info[name];
    if (type === "gauge") {
      new Gauge({ name, help, labelNames, registers: [registry], collect() { this.set(labels, number(name)); } });
    } else if (type === "counter") {
      new Counter({
        name: `${name}_total`,
        help,
        labelNames,
        registers: [registry],
        collect() {
          // The snapshot holds the running total; a counter only goes up, so set it by reset + inc.
          this.reset();
          this.inc(labels, number(name));
        },
      });
    } else {
      registry.registerMetric(snapshotHistogram(name, help, labels, () => {
        const v = snapshot()[name];
        return typeof v === "object" ? v : undefined;
      }));
    }
  }
}

/** The minimal metric a Registry prints: a name, and its series on get(). */
function snapshotHistogram(
  name: string,
  help: string,
  labels: Readonly<Record<string, string>>,
  read: () => HistogramSnapshotData | undefined,
): Metric {
  const collector = {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    reset(): void {},
    async get() {
      const h = read();
      const values: { value: number; labels: Record<string, string | number>; metricName: string }[] = [];
      if (h !== undefined) {
        let cumulative = 0;
        h.buckets.forEach((le, i) => {
          cumulative += h.counts[i] ?? 0;
          values.push({ value: cumulative, labels: { le, ...labels }, metricName: `${name}_bucket` });
        });
        values.push({ value: h.count, labels: { le: "+Inf", ...labels }, metricName: `${name}_bucket` });
        values.push({ value: h.sum, labels: { ...labels }, metricName: `${name}_sum` });
        values.push({ value: h.count, labels: { ...labels }, metricName: `${name}_count` });
      }
      return { name, help, type: "histogram", values, aggregator: "sum" };
    },
  };
  // The Registry only calls name, get() and reset(); prom-client's types
  // list its own classes, so the collector is cast to them here, once.
  return collector as unknown as Metric;
}
