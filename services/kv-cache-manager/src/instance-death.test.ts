import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "./test-support/harness.js";
import { chain, kvEvent } from "./test-support/kv-events.js";
import { waitFor } from "@weir/testkit";

const PROMPT = chain(8, 1n);

describe("kv-cache-manager: dead instances leave the index (real NATS)", () => {
  let h: Harness;
  let keepAlive: NodeJS.Timeout | undefined;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    clearInterval(keepAlive);
    await h.close();
  });

  const holders = async (): Promise<string[]> =>
    (await h.kvClient().match({ tier: "small", blockHashes: PROMPT })).matches.map((m) => m.instanceId).sort();

  it("drops an instance deleted from the directory, and one whose heartbeats stopped", async () => {
    const beat = (...ids: string[]) => {
      clearInterval(keepAlive);
      keepAlive = setInterval(() => void h.heartbeat("small", ...ids).catch(() => undefined), 100);
    };
    await h.heartbeat("small", "alive", "leaving", "crashed");
    beat("alive", "leaving", "crashed");
    const head = await h.publish([
      kvEvent("alive", 1, PROMPT),
      kvEvent("leaving", 1, PROMPT),
      kvEvent("crashed", 1, PROMPT),
    ]);
    // A short timeout so the crash shows quickly: heartbeats every 100 ms, dead after 2 s.
    const m = await h.startManager({ replicaId: "r1", heartbeatTimeoutMs: 2_000 });
    await h.caughtUp(m, head);
    expect(await holders()).toEqual(["alive", "crashed", "leaving"]);

    // "crashed" stops putting heartbeats; the other two keep going.
    beat("alive", "leaving");
    await waitFor(async () => (await holders()).join() === "alive,leaving", { timeoutMs: 10_000 });

    // "leaving" shuts down cleanly: its key is deleted.
    beat("alive");
    await h.directory.remove("small", "leaving");
    await waitFor(async () => (await holders()).join() === "alive", { timeoutMs: 10_000 });

    expect(m.stream.index.lastSequence("crashed")).toBeUndefined();
    expect(m.stream.index.stats()).toMatchObject({ instances: 1, blocks: PROMPT.length });
    const dropped = await m.registry.getSingleMetric("weir_kv_instances_dropped_total")?.get();
    expect(Object.fromEntries((dropped?.values ?? []).map((v) => [v.labels.reason, v.value]))).toEqual({ silent: 1, removed: 1 });
  });

  it("drops an instance the directory never heard of after one timeout (its events were replayed, it is gone)", async () => {
    const head = await h.publish([kvEvent("ghost", 1, PROMPT), kvEvent("alive", 1, PROMPT)]);
    keepAlive = setInterval(() => void h.heartbeat("small", "alive").catch(() => undefined), 100);
    const m = await h.startManager({ replicaId: "r1", heartbeatTimeoutMs: 2_000 });
    await h.caughtUp(m, head);
    await waitFor(async () => (await holders()).join() === "alive", { timeoutMs: 10_000 });
  });
});
