import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "./test-support/harness.js";
import { chain, kvEvent } from "./test-support/kv-events.js";
import { Workload } from "./test-support/workload.js";

describe("kv-cache-manager replicas (real NATS)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it("two replicas hold the same index and answer the same match; either one alone still answers", async () => {
    const work = new Workload(["w1", "w2", "w3"]);
    await h.publish(work.next(100));
    const a = await h.startManager({ replicaId: "a" });
    const b = await h.startManager({ replicaId: "b" });
    const prompt = chain(64, 7_000n);
    const head = await h.publish([
      ...work.next(50),
      kvEvent("w1", 1_000, prompt), // a sequence gap for w1: applied, reported
      kvEvent("w4", 1, prompt.slice(0, 40)),
    ]);
    await h.caughtUp(a, head);
    await h.caughtUp(b, head);
    expect(Harness.snapshotOf(a)).toEqual(Harness.snapshotOf(b));
    expect(Harness.snapshotOf(a)).toEqual(Harness.snapshotBytes(h.reference(), head));

    // The queue group spreads requests over both; every answer is the same.
    const kv = h.kvClient();
    const answers = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const res = await kv.match({ tier: "small", blockHashes: prompt });
      answers.add(JSON.stringify(res.matches.map((m) => [m.instanceId, m.matchedBlocks])));
    }
    expect([...answers]).toEqual([JSON.stringify([["w1", 64], ["w4", 40]])]);
    const served = async (m: typeof a) => (await m.registry.getSingleMetric("weir_kv_match_requests_total")?.get())?.values[0]?.value ?? 0;
    expect(await served(a)).toBeGreaterThan(0);
    expect(await served(b)).toBeGreaterThan(0);
    expect((await served(a)) + (await served(b))).toBe(40);

    await a.shutdown();
    const res = await kv.match({ tier: "small", blockHashes: prompt });
    expect(res.matches.map((m) => m.instanceId)).toEqual(["w1", "w4"]);
  });
});
