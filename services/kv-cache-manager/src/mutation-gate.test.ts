import { describe, expect, it } from "vitest";
import { MutationGate } from "./mutation-gate.js";

describe("MutationGate", () => {
  it("runs writes at once while open, defers them in order while closed", async () => {
    const gate = new MutationGate();
    const log: string[] = [];
    gate.whenOpen(() => log.push("a"));
    let resume!: () => void;
    const snapshot = gate.closeDuring(async () => {
      log.push("snapshot start");
      await new Promise<void>((r) => (resume = r));
      log.push("snapshot end");
    });
    expect(gate.open).toBe(false);
    gate.whenOpen(() => log.push("b"));
    gate.whenOpen(() => log.push("c"));
    const waiter = (async () => {
      while (!gate.open) await gate.opened();
      log.push("consumer resumes");
    })();
    resume();
    await snapshot;
    await waiter;
    expect(gate.open).toBe(true);
    expect(log).toEqual(["a", "snapshot start", "snapshot end", "b", "c", "consumer resumes"]);
  });

  it("lets a second closer wait for the first, and opens again after a failure", async () => {
    const gate = new MutationGate();
    const order: number[] = [];
    const first = gate.closeDuring(async () => {
      await Promise.resolve();
      order.push(1);
      throw new Error("put failed");
    });
    const second = gate.closeDuring(async () => {
      order.push(2);
    });
    await expect(first).rejects.toThrow(/put failed/);
    await second;
    expect(order).toEqual([1, 2]);
    expect(gate.open).toBe(true);
  });
});
