import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerSnapshotMetrics } from "./snapshot-metrics.js";

describe("registerSnapshotMetrics", () => {
  it("prints gauges, counters with _total and histograms from the snapshot, as Prometheus text", async () => {
    const registry = new Registry();
    let running = 2;
    registerSnapshotMetrics(
      registry,
      {
        info: {
        "vllm:num_requests_running": { type: "gauge", help: "Running." },
        "vllm:generation_tokens": { type: "counter", help: "Tokens." },
        "vllm:time_to_first_token_seconds": { type: "histogram", help: "TTFT." },
        },
        read: () => ({
        "vllm:num_requests_running": running,
        "vllm:generation_tokens": 42,
        "vllm:time_to_first_token_seconds": { buckets: [0.1, 1], counts: [1, 2, 1], sum: 3.5, count: 4 },
        }),
      },
      { model_name: "m" },
    );
    const text = await registry.metrics();
    expect(text).toContain('vllm:num_requests_running{model_name="m"} 2');
    expect(text).toContain("# TYPE vllm:generation_tokens_total counter");
    expect(text).toContain('vllm:generation_tokens_total{model_name="m"} 42');
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toContain('vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 1');
    expect(text).toContain('vllm:time_to_first_token_seconds_bucket{le="1",model_name="m"} 3');
    expect(text).toContain('vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 4');
    expect(text).toContain('vllm:time_to_first_token_seconds_sum{model_name="m"} 3.5');
    expect(text).toContain('vllm:time_to_first_token_seconds_count{model_name="m"} 4');
    running = 5;
    await new Promise((r) => setTimeout(r, 120));
    expect(await registry.metrics()).toContain('vllm:num_requests_running{model_name="m"} 5');
  });
});
