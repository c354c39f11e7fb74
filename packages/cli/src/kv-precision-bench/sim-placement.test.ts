import { VirtualCluster } from "@weir/sim";
import { describe, expect, it } from "vitest";
import { createSimPlacement, isBenchPolicy, simInstanceId } from "./sim-placement.js";

const PRESET = "llama-3.1-8b/h100";
const ids = (n: number, salt: number): number[] => Array.from({ length: n }, (_, i) => (i * 7919 + salt * 104_729) % 128_000);

function cluster(n: number): VirtualCluster {
  return new VirtualCluster({ instances: Array.from({ length: n }, () => ({ preset: PRESET, jitter: 0 })) });
}

describe("kv-precision-bench placement (@weir/placement policies on simulated instances)", () => {
  it("round-robin takes the instances in turn whatever their state", () => {
    const c = cluster(3);
    const place = createSimPlacement("round-robin", c.blockSize);
    for (let i = 0; i < 6; i++) c.submit({ id: `q${i}`, promptTokens: 100 + i * 1000, outputTokens: 5 }, i, place);
    c.run();
    expect(c.results.map((r) => [r.id, r.instance]).sort()).toEqual([
      ["q0", 0], ["q1", 1], ["q2", 2], ["q3", 0], ["q4", 1], ["q5", 2],
    ]);
  });

  it("prefix-aware sends a prompt to the instance that holds its prefix", () => {
    const c = cluster(2);
    const place = createSimPlacement("prefix-aware", c.blockSize);
    const shared = ids(2048, 1);
    c.submit({ id: "a", promptTokens: 2048, outputTokens: 2, promptTokenIds: ids(2048, 2) }, 0, place);
    c.submit({ id: "b", promptTokens: 2048, outputTokens: 2, promptTokenIds: shared }, 1_000, place);
    c.submit({ id: "c", promptTokens: 2048, outputTokens: 2, promptTokenIds: shared }, 2_000, place);
    c.run();
    const at = (id: string) => c.results.find((r) => r.id === id)?.instance;
    expect(at("c")).toBe(at("b"));
    expect(c.results.find((r) => r.id === "c")?.cachedPromptTokens).toBeGreaterThan(2000);
  });

  it("names instances so that their ids sort in index order, and knows its policies", () => {
    expect([simInstanceId(9), simInstanceId(10), simInstanceId(1)].sort()).toEqual([simInstanceId(1), simInstanceId(9), simInstanceId(10)]);
    expect(isBenchPolicy("prefix-aware")).toBe(true);
    expect(isBenchPolicy("length-aware")).toBe(false);
  });
});
