import { ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, traceFields } from "./logger.js";
import { capture } from "./test-support/capture.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("createLogger", () => {
  it("writes JSON lines with the service, pid, ISO time and level name", () => {
    const out = capture();
    const logger = createLogger("router", { destination: out.stream, level: "info" });
    logger.info({ tier: "small" }, "planned");
    logger.debug("hidden below info");
    const [line, ...rest] = out.lines();
    expect(rest).toHaveLength(0);
    expect(line).toMatchObject({ level: "info", service: "router", pid: process.pid, tier: "small", msg: "planned" });
    expect(String(line?.["time"])).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(line).not.toHaveProperty("trace_id");
  });

  it("takes its level from LOG_LEVEL, and falls back to info with a warning on a bad one", () => {
    vi.stubEnv("LOG_LEVEL", "debug");
    const out = capture();
    createLogger("a", { destination: out.stream }).debug("shown");
    expect(out.lines().map((l) => l["msg"])).toEqual(["shown"]);

    vi.stubEnv("LOG_LEVEL", "verbose");
    const bad = capture();
    const logger = createLogger("a", { destination: bad.stream });
    logger.debug("hidden");
    expect(logger.level).toBe("info");
    expect(bad.lines()[0]?.["msg"]).toMatch(/^LOG_LEVEL "verbose" is not a level; logging at info/);
  });
});

describe("traceFields", () => {
  it("gives the ids of the span in the context, and nothing outside one", () => {
    const spanContext = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED };
    expect(traceFields(trace.setSpanContext(ROOT_CONTEXT, spanContext))).toEqual({
      trace_id: "0af7651916cd43dd8448eb211c80319c",
      span_id: "b7ad6b7169203331",
    });
    expect(traceFields(ROOT_CONTEXT)).toEqual({});
  });
});
