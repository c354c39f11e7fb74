import { afterEach, describe, expect, it, vi } from "vitest";
import { ScaledWallClock } from "./clock.js";
import { EngineCore } from "./engine-core.js";
import { resolveInstanceConfig } from "./instance-config.js";
import { RealTimeDriver } from "./real-time-driver.js";
import { VirtualCluster } from "./virtual-cluster.js";

afterEach(() => {
  vi.useRealTimers();
});

function setup(speedup: number, lateByMs = 0) {
  vi.useFakeTimers();
  // Every timer fires `lateByMs` late, as a busy event loop would make it.
  let lateness = 0;
  const start = Date.now();
  const wall = (): number => Date.now() - start + lateness;
  const tokens: Array<{ simMs: number; wallMs: number }> = [];
  const finished: number[] = [];
  const core = new EngineCore(resolveInstanceConfig({ preset: "llama-3.1-8b/h100", jitter: 0 }), {
    onToken: (_r, simMs) => {
      lateness += lateByMs;
      tokens.push({ simMs, wallMs: wall() });
    },
    onFinish: (_r, simMs) => finished.push(simMs),
  });
  const driver = new RealTimeDriver(core, { clock: new ScaledWallClock(speedup, wall) });
  return { core, driver, tokens, finished, wall };
}

describe("RealTimeDriver", () => {
  it("sleeps each step's duration over the speedup", () => {
    const { core, driver, tokens, finished } = setup(2);
    core.add(core.createRequest({ id: "a", promptTokens: 100, outputTokens: 20 }), driver.now());
    driver.kick();
    vi.advanceTimersByTime(10_000);
    expect(finished).toHaveLength(1);
    expect(tokens).toHaveLength(20);
    // 20 steps of ≈ 7 ms simulated → ≈ 70 wall ms at speedup 2.
    const last = tokens.at(-1)!;
    expect(last.simMs).toBeGreaterThan(130);
    expect(last.wallMs).toBeGreaterThanOrEqual(last.simMs / 2 - 1);
    expect(last.wallMs).toBeLessThanOrEqual(last.simMs / 2 + 2);
  });

  it("does not let late timers accumulate drift: later sleeps get shorter", () => {
    const { core, driver, tokens } = setup(1, 0.5); // every step's timer half a millisecond late
    core.add(core.createRequest({ id: "a", promptTokens: 100, outputTokens: 100 }), driver.now());
    driver.kick();
    vi.advanceTimersByTime(10_000);
    expect(tokens).toHaveLength(100);
    const last = tokens.at(-1)!;
    // The same request in virtual time: the steps laid end to end.
    const virtual = new VirtualCluster({ instances: [{ preset: "llama-3.1-8b/h100", jitter: 0 }] });
    virtual.submit({ id: "a", promptTokens: 100, outputTokens: 100 }, 0, 0);
    virtual.run();
    expect(last.simMs).toBeCloseTo(virtual.results[0]!.finishMs, 6);
    // 100 × 0.5 ms of lateness would be 50 ms of drift; corrected, the end stays within a step.
    expect(last.wallMs - last.simMs).toBeLessThan(8);
  });

  it("idles without timers and restarts on kick", () => {
    const { core, driver, finished } = setup(1);
    driver.kick();
    expect(vi.getTimerCount()).toBe(0);
    core.add(core.createRequest({ id: "a", promptTokens: 10, outputTokens: 3 }), driver.now());
    driver.kick();
    vi.advanceTimersByTime(1000);
    expect(finished).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stop() cancels the pending step", () => {
    const { core, driver, tokens } = setup(1);
    core.add(core.createRequest({ id: "a", promptTokens: 10, outputTokens: 50 }), driver.now());
    driver.kick();
    vi.advanceTimersByTime(20);
    driver.stop();
    const n = tokens.length;
    vi.advanceTimersByTime(1000);
    expect(tokens.length).toBe(n);
    expect(vi.getTimerCount()).toBe(0);
  });
});
