// The engine's metrics, named as vLLM (v1) names them on its /metrics page, so
// that dashboards and autoscalers written for vLLM read the simulator too.
// Plain data: the model-worker registers them on its prom-client Registry
// (counters there get prom-client's "_total" suffix, as vLLM's do).

import type { HistogramSnapshot } from "./histogram.js";

/** vllm/v1/metrics/loggers.py: histogram_time_to_first_token buckets, seconds. */
export const TTFT_BUCKETS_S: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
];

/** vllm/v1/metrics/loggers.py: histogram_inter_token_latency buckets, seconds. */
export const ITL_BUCKETS_S: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];

/** vllm/v1/metrics/loggers.py: request_latency_buckets (e2e and queue time), seconds. */
export const REQUEST_LATENCY_BUCKETS_S: readonly number[] = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
];

/** A snapshot of one engine instance's metrics, keyed by vLLM's metric names. */
export interface SimMetricsSnapshot {
  "vllm:num_requests_running": number;
  "vllm:num_requests_waiting": number;
  /** Fraction (0..1) of KV blocks in use, as vLLM reports it despite the name. */
  "vllm:kv_cache_usage_perc": number;
  /** Prompt tokens looked up in the prefix cache. */
  "vllm:prefix_cache_queries": number;
  /** Of those, tokens found cached. */
  "vllm:prefix_cache_hits": number;
  "vllm:num_preemptions": number;
  /** Prompt tokens of requests that reached their first token (cached ones included, as in vLLM). */
  "vllm:prompt_tokens": number;
  "vllm:generation_tokens": number;
  "vllm:request_success": number;
  "vllm:time_to_first_token_seconds": HistogramSnapshot;
  "vllm:inter_token_latency_seconds": HistogramSnapshot;
  "vllm:e2e_request_latency_seconds": HistogramSnapshot;
  "vllm:request_queue_time_seconds": HistogramSnapshot;
}

export type SimMetricName = keyof SimMetricsSnapshot;

/** How to register each metric: its Prometheus type and vLLM's help text. */
export const SIM_METRIC_INFO: Readonly<Record<SimMetricName, { type: "gauge" | "counter" | "histogram"; help: string }>> =
  {
    "vllm:num_requests_running": { type: "gauge", help: "Number of requests in model execution batches." },
    "vllm:num_requests_waiting": { type: "gauge", help: "Number of requests waiting to be processed." },
    "vllm:kv_cache_usage_perc": { type: "gauge", help: "KV-cache usage. 1 means 100 percent usage." },
    "vllm:prefix_cache_queries": {
      type: "counter",
      help: "Prefix cache queries, in terms of number of queried tokens.",
    },
    "vllm:prefix_cache_hits": { type: "counter", help: "Prefix cache hits, in terms of number of cached tokens." },
    "vllm:num_preemptions": { type: "counter", help: "Cumulative number of preemption from the engine." },
    "vllm:prompt_tokens": { type: "counter", help: "Number of prefill tokens processed." },
    "vllm:generation_tokens": { type: "counter", help: "Number of generation tokens processed." },
    "vllm:request_success": { type: "counter", help: "Count of successfully processed requests." },
    "vllm:time_to_first_token_seconds": { type: "histogram", help: "Histogram of time to first token in seconds." },
    "vllm:inter_token_latency_seconds": { type: "histogram", help: "Histogram of inter-token latency in seconds." },
    "vllm:e2e_request_latency_seconds": {
      type: "histogram",
      help: "Histogram of e2e request latency in seconds.",
    },
    "vllm:request_queue_time_seconds": {
      type: "histogram",
      help: "Histogram of time spent in WAITING phase for request.",
    },
  };
