import type { Engine, EngineUsage } from "@weir/engine";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

// vLLM's Prometheus metrics (V1 names), measured by the server around any
// engine, so that dashboards and autoscalers built for vLLM read a
// sim-server unchanged. Bucket bounds are vLLM's.
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

/** What the server tells the metrics about one request, in order. */
export interface RequestMetrics {
  /** Tokens handed to the client just now (the first call with n > 0 is the first token). */
  tokens(n: number): void;
  finished(reason: string, usage: EngineUsage): void;
  /** The client went away before the answer was complete. */
  aborted(): void;
}

export interface ServerMetrics {
  start(): RequestMetrics;
}

/**
 * Registers vLLM's request metrics on `registry` with a model_name label and
 * returns the recorder the handler feeds. Queue and KV gauges are read from
 * engine.load() at scrape time.
 */
export function registerServerMetrics(registry: Registry, engine: Engine, model: string): ServerMetrics {
  const labelNames = ["model_name"] as const;
  const labels = { model_name: model };
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.set(labels, read());
      },
    });
  gauge("vllm:num_requests_running", "Number of requests in model execution batches.", () => engine.load().running);
  gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", () => engine.load().waiting);
  gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", () => engine.load().kvUsage);

  const promptTokens = new Counter({ name: "vllm:prompt_tokens_total", help: "Number of prefill tokens processed.", labelNames, registers });
  const generationTokens = new Counter({ name: "vllm:generation_tokens_total", help: "Number of generation tokens processed.", labelNames, registers });
  const prefixQueries = new Counter({ name: "vllm:prefix_cache_queries_total", help: "Prefix cache queries, in terms of number of queried tokens.", labelNames, registers });
  const prefixHits = new Counter({ name: "vllm:prefix_cache_hits_total", help: "Prefix cache hits, in terms of number of cached tokens.", labelNames, registers });
  const success = new Counter({
    name: "vllm:request_success_total",
    help: "Count of successfully processed requests.",
    labelNames: ["model_name", "finished_reason"] as const,
    registers,
  });
  const ttft = new Histogram({ name: "vllm:time_to_first_token_seconds", help: "Histogram of time to first token in seconds.", labelNames, buckets: TTFT_BUCKETS, registers });
  const itl = new Histogram({ name: "vllm:inter_token_latency_seconds", help: "Histogram of inter-token latency in seconds.", labelNames, buckets: ITL_BUCKETS, registers });
  const e2e = new Histogram({ name: "vllm:e2e_request_latency_seconds", help: "Histogram of end-to-end request latency in seconds.", labelNames, buckets: E2E_BUCKETS, registers });

  return {
    start(): RequestMetrics {
      const started = performance.now();
      let lastToken: number | undefined;
      return {
        tokens(n) {
          if (n <= 0) return;
          const now = performance.now();
          if (lastToken === undefined) ttft.observe(labels, (now - started) / 1000);
          // A chunk of n tokens after a gap counts as n gaps of gap/n.
          else for (let i = 0; i < n; i++) itl.observe(labels, (now - lastToken) / 1000 / n);
          lastToken = now;
        },
        finished(reason, usage) {
          success.inc({ ...labels, finished_reason: reason });
          promptTokens.inc(labels, usage.promptTokens);
          generationTokens.inc(labels, usage.completionTokens);
          prefixQueries.inc(labels, usage.promptTokens);
          prefixHits.inc(labels, usage.cachedPromptTokens);
          e2e.observe(labels, (performance.now() - started) / 1000);
        },
        aborted() {
          // vLLM counts a request the client abandoned as finished_reason="abort".
          success.inc({ ...labels, finished_reason: "abort" });
        },
      };
    },
  };
}

/** For an engine that keeps its own metrics: the server records nothing. */
export const NO_REQUEST_METRICS: ServerMetrics = {
  start: () => ({ tokens() {}, finished() {}, aborted() {} }),
};
