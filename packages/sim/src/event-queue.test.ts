import { describe, expect, it } from "vitest";
import { Deque } from "./deque.js";
import { EventQueue } from "./event-queue.js";
import { Histogram } from "./histogram.js";
import { Random } from "./random.js";

describe("EventQueue", () => {
  it("pops by time, ties in insertion order, and advances the clock", () => {
    const q = new EventQueue<string>();
    const times = [5, 1, 3, 1, 5, 0, 3];
    times.forEach((t, i) => q.push(t, `${t}:${i}`));
    const out: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) {
      out.push(e);
      expect(q.now).toBe(Number(e.split(":")[0]));
    }
    expect(out).toEqual(["0:5", "1:1", "1:3", "3:2", "3:6", "5:0", "5:4"]);
  });

  it("stays a heap under random pushes and refuses the past", () => {
    const q = new EventQueue<number>();
    const r = new Random(1);
    for (let i = 0; i < 1000; i++) q.push(r.next() * 100, i);
    let prev = -1;
    while (q.size > 0) {
      q.pop();
      expect(q.now).toBeGreaterThanOrEqual(prev);
      prev = q.now;
    }
    expect(() => q.push(prev - 1, 0)).toThrow(/in the past/);
  });
});

describe("Deque", () => {
  it("pushes and pops at both ends, grows, and removes from the middle", () => {
    const d = new Deque<number>();
    for (let i = 0; i < 20; i++) d.pushBack(i);
    d.pushFront(-1);
    expect(d.size).toBe(21);
    expect(d.popFront()).toBe(-1);
    expect(d.remove(10)).toBe(true);
    expect(d.remove(99)).toBe(false);
    const out: number[] = [];
    for (let x = d.popFront(); x !== undefined; x = d.popFront()) out.push(x);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

describe("Histogram", () => {
  it("counts a value in the first bucket whose bound is ≥ it (Prometheus le), +Inf last", () => {
    const h = new Histogram([0.01, 0.1, 1]);
    for (const v of [0.005, 0.01, 0.05, 1, 2]) h.observe(v);
    expect(h.snapshot()).toEqual({ buckets: [0.01, 0.1, 1], counts: [2, 1, 1, 1], sum: 3.065, count: 5 });
  });
});

describe("Random", () => {
  it("is reproducible per seed and its lognormal has the requested mean", () => {
    expect(new Random(5).next()).toBe(new Random(5).next());
    const r = new Random(9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.lognormal(10, 0.5);
    expect(sum / 20_000).toBeCloseTo(10, 0);
  });
});
