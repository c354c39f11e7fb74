import { createPlacementPolicy } from "@weir/placement";
import { VirtualCluster } from "@weir/sim";
import { describe, expect, it } from "vitest";
import { liveInstanceOfCore } from "./live-instance-of-core.js";
import { policyPlacement } from "./policy-placement.js";

const PRESET = "llama-3.1-8b/h100";
const ids = (n: number, salt: number): number[] => Array.from({ length: n }, (_, i) => (i * 7919 + salt * 104729) % 128_000);

function cluster(n = 2): VirtualCluster {
  return new VirtualCluster({
    instances: Array.from({ length: n }, (_, i) => ({ preset: PRESET, jitter: 0, instanceId: `sim-${i + 1}` })),
  });
}

describe("liveInstanceOfCore", () => {
  it("describes a core as a heartbeat would: its configured id, live load and KV size", () => {
    const c = cluster(1);
    c.submit({ id: "a", promptTokens: 500, outputTokens: 50 }, 0, 0);
    c.run(0);
    const live = liveInstanceOfCore(c.instances[0]!, 0);
    expect(live).toMatchObject({ instanceId: "sim-1", engine: "sim", model: PRESET, running: 1, waiting: 0, inflight: 0, waitingPromptTokens: 500 });
    expect(live.kvBlocksTotal).toBe(c.instances[0]!.config.numBlocks);
    expect(live.maxConcurrency).toBe(c.instances[0]!.config.maxNumSeqs);
  });
});

describe("policyPlacement", () => {
  it("places with the @weir/placement policy: round-robin takes turns whatever the load", () => {
    const c = cluster();
    const { placement } = policyPlacement(createPlacementPolicy("round-robin"), c.instances);
    for (let i = 0; i < 4; i++) c.submit({ id: `q${i}`, promptTokens: 100, outputTokens: 5 }, 0, placement);
    c.run();
    expect(c.results.map((r) => [r.id, r.instance]).sort()).toEqual([["q0", 0], ["q1", 1], ["q2", 0], ["q3", 1]]);
  });

  it("gives prefix policies each instance's cached blocks, as a global index would", () => {
    const c = cluster();
    const prompt = ids(2048, 9);
    c.submit({ id: "warm", promptTokens: 2048, outputTokens: 5, promptTokenIds: prompt }, 0, 1);
    const { placement } = policyPlacement(createPlacementPolicy("prefix-aware"), c.instances);
    c.submit({ id: "again", promptTokens: 2048, outputTokens: 5, promptTokenIds: prompt }, 5000, placement);
    c.run();
    expect(c.results.find((r) => r.id === "again")).toMatchObject({ instance: 1, cachedPromptTokens: 2032 });
  });

  it("offers a migration hook only for policies that can migrate, and only when migration is on", () => {
    const c = cluster();
    expect(policyPlacement(createPlacementPolicy("least-loaded"), c.instances).migrate).toBeUndefined();
    expect(policyPlacement(createPlacementPolicy("length-aware"), c.instances).migrate).toBeDefined();
    expect(policyPlacement(createPlacementPolicy("length-aware"), c.instances, { migration: false }).migrate).toBeUndefined();
  });

  it("refuses cores without distinct instance ids", () => {
    const c = new VirtualCluster({ instances: [{ preset: PRESET }, { preset: PRESET }] });
    expect(() => policyPlacement(createPlacementPolicy("round-robin"), c.instances)).toThrow(/no instanceId/);
  });
});
