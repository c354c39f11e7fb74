import { Registry, collectDefaultMetrics } from "prom-client";

/**
 * A Prometheus registry for one service: the default Node.js process
 * metrics (CPU, memory, event-loop lag, GC) plus whatever the service adds,
 * every series labelled `service=<name>` so that dashboards can tell the
 * services apart even when they share a scrape job.
 *
 * A fresh registry per call (never prom-client's global one), so tests and
 * several services in one process do not collide on metric names.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
