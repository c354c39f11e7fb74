import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import { flush } from "./test-support/manual-sleep.js";

describe("ConcurrencyLimiter", () => {
  it("hands a released slot to the first waiter", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const signal = new AbortController().signal;
    const releaseA = await limiter.acquire(signal);
    const granted: string[] = [];
    const b = limiter.acquire(signal).then((r) => (granted.push("b"), r));
    const c = limiter.acquire(signal).then((r) => (granted.push("c"), r));
    expect([limiter.running, limiter.waiting]).toEqual([1, 2]);
    releaseA();
    releaseA(); // twice is harmless
    (await b)();
    (await c)();
    expect(granted).toEqual(["b", "c"]);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  it("drops an aborted waiter from the queue", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire(new AbortController().signal);
    const ac = new AbortController();
    const waiting = limiter.acquire(ac.signal);
    ac.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(limiter.waiting).toBe(0);
    release();
    await flush();
    expect(limiter.running).toBe(0);
  });
});
