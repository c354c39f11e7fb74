import { describe, expect, it } from "vitest";
import { WarmupBudget } from "./warmup-budget.js";

function setup(maxInFlight: number, leaseMs = 1000) {
  let t = 0;
  const budget = new WarmupBudget({ maxInFlight, leaseMs, now: () => t });
  return { budget, advance: (ms: number) => (t += ms) };
}

describe("WarmupBudget", () => {
  it("grants maxInFlight leases per tier, then refuses until the oldest runs out", () => {
    const { budget, advance } = setup(2);
    expect(budget.tryAcquire("large")).toBe(true);
    advance(300);
    expect(budget.tryAcquire("large")).toBe(true);
    expect(budget.tryAcquire("large")).toBe(false);
    expect(budget.inFlight("large")).toBe(2);
    expect(budget.retryAfterMs("large")).toBe(700);
    advance(700);
    expect(budget.inFlight("large")).toBe(1);
    expect(budget.tryAcquire("large")).toBe(true);
    expect(budget.tryAcquire("large")).toBe(false);
  });

  it("keeps tiers apart", () => {
    const { budget } = setup(1);
    expect(budget.tryAcquire("small")).toBe(true);
    expect(budget.tryAcquire("large")).toBe(true);
    expect(budget.tryAcquire("small")).toBe(false);
    expect(budget.retryAfterMs("medium")).toBe(0);
  });

  it("gives a lease back when the warm-up was not placed", () => {
    const { budget } = setup(1);
    expect(budget.tryAcquire("large")).toBe(true);
    budget.release("large");
    expect(budget.tryAcquire("large")).toBe(true);
  });

  it("refuses every warm-up when the budget is 0", () => {
    const { budget } = setup(0);
    expect(budget.tryAcquire("large")).toBe(false);
    expect(budget.retryAfterMs("large")).toBe(1000);
  });
});
