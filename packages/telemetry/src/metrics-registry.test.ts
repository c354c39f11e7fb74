import { describe, expect, it } from "vitest";
import { createMetricsRegistry } from "./metrics-registry.js";

describe("createMetricsRegistry", () => {
  it("exposes the default Node metrics labelled with the service", async () => {
    const registry = createMetricsRegistry("router");
    const text = await registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="router"\} \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="router"\} \d/m);
    expect(registry.contentType).toContain("text/plain");
  });

  it("gives each call its own registry, so two never collide", async () => {
    const a = createMetricsRegistry("a");
    const b = createMetricsRegistry("b");
    expect(a).not.toBe(b);
    expect(await b.metrics()).toContain('service="b"');
  });
});
