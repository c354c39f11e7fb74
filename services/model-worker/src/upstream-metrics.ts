import type { OpenAiEngine } from "@weir/openai-engine";
import { Counter, Histogram, type Registry } from "prom-client";

// vLLM's bucket bounds, so these line up with the upstream's own
// vllm:time_to_first_token_seconds and vllm:inter_token_latency_seconds.
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

/**
 * The openai engine's timings as Prometheus metrics, measured on the worker's
 * side of the connection (network included). Named weir_upstream_* rather
 * than vllm:*: the upstream server exports its own vllm:* series, and the two
 * must not be summed together.
 */
export function registerUpstreamMetrics(registry: Registry, engine: OpenAiEngine): void {
  const registers = [registry];
  const ttft = new Histogram({
    name: "weir_upstream_time_to_first_token_seconds",
    help: "Time from sending a request upstream (first attempt) to its first token.",
    buckets: TTFT_BUCKETS,
    registers,
  });
  const itl = new Histogram({
    name: "weir_upstream_inter_token_latency_seconds",
    help: "Time between two tokens of one upstream answer.",
    buckets: ITL_BUCKETS,
    registers,
  });
  const e2e = new Histogram({
    name: "weir_upstream_request_duration_seconds",
    help: "Time from sending a request upstream to its end (finish, failure or cancel).",
    buckets: E2E_BUCKETS,
    registers,
  });
  const requests = new Counter({
    name: "weir_upstream_requests_total",
    help: "Requests sent upstream, by how they ended (stop, length, error, cancelled).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const retries = new Counter({
    name: "weir_upstream_retries_total",
    help: "Attempts repeated because the upstream failed before the first token.",
    registers,
  });
  engine.onRequestDone((t) => {
    if (t.ttftSeconds !== undefined) ttft.observe(t.ttftSeconds);
    for (const gap of t.interTokenSeconds) itl.observe(gap);
    e2e.observe(t.e2eSeconds);
    requests.inc({ outcome: t.outcome });
    if (t.attempts > 1) retries.inc(t.attempts - 1);
  });
}
