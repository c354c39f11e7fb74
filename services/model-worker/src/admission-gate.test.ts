import type { EngineLoad } from "@weir/engine";
import { ErrorCode, WeirError } from "@weir/errors";
import { describe, expect, it } from "vitest";
import { AdmissionGate } from "./admission-gate.js";

function setup(maxWaiting: number, load: Partial<EngineLoad> = {}) {
  let t = 0;
  const engine: EngineLoad = { running: 0, waiting: 0, maxConcurrency: 1, kvUsage: 0, ...load };
  const gate = new AdmissionGate({
    maxWaiting,
    load: () => engine,
    minRetryAfterMs: 500,
    now: () => t,
  });
  return { gate, engine, advance: (ms: number) => (t += ms) };
}

function refusal(fn: () => unknown): WeirError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WeirError);
    return err as WeirError;
  }
  throw new Error("expected a refusal");
}

describe("AdmissionGate", () => {
  it("admits maxConcurrency + maxWaiting requests, then refuses with RESOURCE_EXHAUSTED", () => {
    const { gate } = setup(2);
    gate.admit("worker w");
    gate.admit("worker w");
    gate.admit("worker w");
    const err = refusal(() => gate.admit("worker w"));
    expect(err.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(err.message).toBe(
      "worker w is full: 2 requests already wait for one of its 1 slots (worker.maxWaiting is 2); retry later or add instances",
    );
    expect(err.retryAfterMs).toBe(500);
    expect(gate.admitted).toBe(3);
  });

  it("admits again once a request is released, and a second release changes nothing", () => {
    const { gate } = setup(1);
    const first = gate.admit("w");
    gate.admit("w");
    expect(() => gate.admit("w")).toThrow(WeirError);
    first();
    first();
    expect(gate.admitted).toBe(1);
    gate.admit("w");
    expect(() => gate.admit("w")).toThrow(WeirError);
  });

  it("also counts the engine's own queue (requests held back for lack of KV blocks)", () => {
    const { gate } = setup(2, { running: 0, waiting: 2, maxConcurrency: 8 });
    expect(refusal(() => gate.admit("w")).code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
  });

  it("never refuses when maxWaiting is 0", () => {
    const { gate } = setup(0, { waiting: 1000 });
    for (let i = 0; i < 100; i++) gate.admit("w");
    expect(gate.admitted).toBe(100);
  });

  it("suggests a Retry-After from the mean request duration and the queue ahead, within bounds", () => {
    const { gate, advance } = setup(1, { maxConcurrency: 2 });
    const a = gate.admit("w");
    advance(4000);
    a(); // mean duration 4000 ms
    expect(gate.retryAfterMs(1, 2)).toBe(4000); // 4000 × (1 + 1) / 2
    expect(gate.retryAfterMs(0, 8)).toBe(500); // 4000 / 8 = 500, the floor
    expect(gate.retryAfterMs(100, 1)).toBe(30_000); // capped
  });
});
