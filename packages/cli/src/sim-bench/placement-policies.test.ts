import { VirtualCluster } from "@weir/sim";
import { describe, expect, it } from "vitest";
import { createPlacement, isPlacementPolicy } from "./placement-policies.js";

const PRESET = "llama-3.1-8b/h100";
const ids = (n: number, salt: number): number[] => Array.from({ length: n }, (_, i) => (i * 7919 + salt * 104729) % 128_000);

function cluster(): VirtualCluster {
  return new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }, { preset: PRESET, jitter: 0 }] });
}

describe("sim-bench placement policies", () => {
  it("round-robin takes the instances in turn whatever their load", () => {
    const c = cluster();
    const place = createPlacement("round-robin");
    for (let i = 0; i < 4; i++) c.submit({ id: `q${i}`, promptTokens: 100, outputTokens: 5 }, 0, place);
    c.run();
    expect(c.results.map((r) => [r.id, r.instance]).sort()).toEqual([["q0", 0], ["q1", 1], ["q2", 0], ["q3", 1]]);
  });

  it("least-loaded avoids the busy instance, and among idle ones prefers the cached prefix", () => {
    const c = cluster();
    const place = createPlacement("least-loaded");
    const shared = ids(1024, 2);
    // a, then b, each alone in the cluster: ties take turns, so a lands on 0 and b on 1.
    c.submit({ id: "a", promptTokens: 1024, outputTokens: 2, promptTokenIds: ids(1024, 1) }, 0, place);
    c.submit({ id: "b", promptTokens: 1024, outputTokens: 2, promptTokenIds: shared }, 1_000, place);
    // c shares b's prompt: both instances are idle, and the cached prefix beats the turn (which is 0's).
    c.submit({ id: "c", promptTokens: 1024, outputTokens: 2, promptTokenIds: shared }, 2_000, place);
    // d arrives while e runs long on the instance it was given: d goes to the other one.
    c.submit({ id: "e", promptTokens: 100, outputTokens: 500, promptTokenIds: ids(100, 3) }, 3_000, place);
    c.submit({ id: "d", promptTokens: 100, outputTokens: 5, promptTokenIds: ids(100, 4) }, 3_010, place);
    c.run();
    const at = (id: string) => c.results.find((r) => r.id === id)?.instance;
    expect([at("a"), at("b")]).toEqual([0, 1]);
    expect(at("c")).toBe(1);
    expect(at("d")).not.toBe(at("e"));
  });

  it("knows its names", () => {
    expect(isPlacementPolicy("least-loaded")).toBe(true);
    expect(isPlacementPolicy("random")).toBe(false);
  });
});
