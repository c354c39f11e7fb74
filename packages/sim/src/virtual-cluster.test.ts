import type { KvEventInit } from "@weir/engine";
import { describe, expect, it } from "vitest";
import { hashIdsToBlockHashes } from "./hash-ids.js";
import { getPreset } from "./presets.js";
import { StepTimeModel, singleSequenceShape } from "./roofline.js";
import { type RequestResult, VirtualCluster } from "./virtual-cluster.js";

const PRESET = "llama-3.1-8b/h100";

function ids(n: number, salt: number): number[] {
  return Array.from({ length: n }, (_, i) => (i * 2654435761 + salt * 97) >>> 0);
}

function byId(results: readonly RequestResult[], id: string): RequestResult {
  const r = results.find((x) => x.id === id);
  if (r === undefined) throw new Error(`no result for ${id}`);
  return r;
}

/** A bursty little workload: shared system prompts, varied lengths. */
function workload(cluster: VirtualCluster, n: number): void {
  for (let i = 0; i < n; i++) {
    const system = ids(1024, i % 3);
    const user = ids(200 + ((i * 37) % 900), 1000 + i);
    cluster.submit(
      { id: `q${i}`, promptTokens: system.length + user.length, outputTokens: 20 + ((i * 53) % 200), promptTokenIds: [...system, ...user] },
      i * 40,
      i % 2,
    );
  }
}

describe("VirtualCluster (discrete-event virtual time)", () => {
  it("a repeated long prefix cuts TTFT by the modelled amount and counts as prefix-cache hits", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }] });
    const prefix = ids(4096, 1);
    const first = [...prefix, ...ids(100, 2)];
    const second = [...prefix, ...ids(100, 3)];
    cluster.submit({ id: "first", promptTokens: first.length, outputTokens: 10, promptTokenIds: first }, 0, 0);
    cluster.submit({ id: "second", promptTokens: second.length, outputTokens: 10, promptTokenIds: second }, 10_000, 0);
    cluster.run();

    const p = getPreset(PRESET);
    const model = new StepTimeModel({ model: p.model, gpu: p.gpu, tensorParallel: 1, kvCacheDtype: "bf16" });
    const a = byId(cluster.results, "first");
    const b = byId(cluster.results, "second");
    expect(a.cachedPromptTokens).toBe(0);
    expect(b.cachedPromptTokens).toBe(4096);
    expect(a.ttftMs).toBeCloseTo(model.stepTimeMs(singleSequenceShape(0, 4196)), 6);
    expect(b.ttftMs).toBeCloseTo(model.stepTimeMs(singleSequenceShape(4096, 100)), 6);
    expect(b.ttftMs).toBeLessThan(a.ttftMs / 5);

    const m = cluster.instances[0]!.metrics();
    expect(m["vllm:prefix_cache_queries"]).toBe(2 * 4196);
    expect(m["vllm:prefix_cache_hits"]).toBe(4096);
  });

  it("never serves the whole prompt from cache: the last token is computed", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }] });
    const prompt = ids(512, 5);
    cluster.submit({ id: "a", promptTokens: 512, outputTokens: 2, promptTokenIds: prompt }, 0, 0);
    cluster.submit({ id: "b", promptTokens: 512, outputTokens: 2, promptTokenIds: prompt }, 1000, 0);
    cluster.run();
    expect(byId(cluster.results, "b").cachedPromptTokens).toBe(496);
  });

  it("is deterministic: one seed gives identical results, another seed different ones", () => {
    const run = (seed: number): RequestResult[] => {
      const cluster = new VirtualCluster({ seed, instances: [{ preset: PRESET }, { preset: PRESET }] });
      workload(cluster, 60);
      cluster.run();
      return cluster.results;
    };
    const a = run(7);
    expect(a).toHaveLength(60);
    expect(run(7)).toEqual(a);
    const c = run(8);
    expect(c.map((r) => r.id).sort()).toEqual(a.map((r) => r.id).sort());
    expect(c).not.toEqual(a);
  });

  it("jitter is small: ±2% lognormal around the roofline step time", () => {
    const cluster = new VirtualCluster({ seed: 3, instances: [{ preset: PRESET }] });
    cluster.submit({ id: "a", promptTokens: 100, outputTokens: 400 }, 0, 0);
    cluster.run();
    const tpot = byId(cluster.results, "a").tpotMs;
    expect(tpot).toBeGreaterThan(6.9);
    expect(tpot).toBeLessThan(7.3);
  });

  it("places requests with a policy that sees every instance's live state at arrival", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET }, { preset: PRESET }, { preset: PRESET }] });
    const seen: number[][] = [];
    for (let i = 0; i < 9; i++) {
      cluster.submit({ id: `r${i}`, promptTokens: 2000, outputTokens: 500 }, i, (_req, instances) => {
        const loads = instances.map((c) => c.load().running + c.load().waiting);
        seen.push(loads);
        return loads.indexOf(Math.min(...loads));
      });
    }
    cluster.run();
    expect(seen[3]).toEqual([1, 1, 1]);
    const perInstance = [0, 1, 2].map((i) => cluster.results.filter((r) => r.instance === i).length);
    expect(perInstance).toEqual([3, 3, 3]);
  });

  it("a prefix-aware policy finds the instance that caches the prompt's prefix", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET }, { preset: PRESET }] });
    const prompt = ids(2048, 9);
    cluster.submit({ id: "warm", promptTokens: 2048, outputTokens: 5, promptTokenIds: prompt }, 0, 1);
    cluster.submit({ id: "again", promptTokens: 2048, outputTokens: 5, promptTokenIds: prompt }, 5000, (req, instances) => {
      const matched = instances.map((c) => c.matchPrefix(req.blockHashes));
      return matched.indexOf(Math.max(...matched));
    });
    cluster.run();
    expect(byId(cluster.results, "again")).toMatchObject({ instance: 1, cachedPromptTokens: 2032 });
  });

  it("accepts submissions from callbacks (the next turn after this one ends)", () => {
    let turns = 0;
    const cluster = new VirtualCluster({
      instances: [{ preset: PRESET }],
      onComplete: (r) => {
        if (++turns < 3) cluster.submit({ id: `turn${turns}`, promptTokens: 100, outputTokens: 10 }, r.finishMs + 1000, 0);
      },
    });
    cluster.submit({ id: "turn0", promptTokens: 100, outputTokens: 10 }, 0, 0);
    cluster.run();
    expect(cluster.results.map((r) => r.id)).toEqual(["turn0", "turn1", "turn2"]);
    expect(cluster.inFlight).toBe(0);
  });

  it("reports first tokens, every token and completions through callbacks", () => {
    const events: string[] = [];
    const cluster = new VirtualCluster({
      instances: [{ preset: PRESET }],
      onFirstToken: (id) => events.push(`first ${id}`),
      onToken: (id, index) => events.push(`${id}#${index}`),
      onComplete: (r) => events.push(`done ${r.id} ${r.outputTokens}`),
    });
    cluster.submit({ id: "a", promptTokens: 10, outputTokens: 3 }, 0, 0);
    cluster.run();
    expect(events).toEqual(["first a", "a#1", "a#2", "a#3", "done a 3"]);
  });

  it("replays trace hash ids: equal leading ids share a cached prefix, no tokens needed", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }] });
    const a = hashIdsToBlockHashes([1, 2, 3], { promptTokens: 1400 });
    const b = hashIdsToBlockHashes([1, 2, 4, 5], { promptTokens: 2000 });
    expect(a).toHaveLength(87); // floor(1400 / 16)
    expect(b.slice(0, 64)).toEqual(a.slice(0, 64));
    expect(b[64]).not.toBe(a[64]);
    cluster.submit({ id: "a", promptTokens: 1400, outputTokens: 5, blockHashes: a }, 0, 0);
    cluster.submit({ id: "b", promptTokens: 2000, outputTokens: 5, blockHashes: () => b }, 1000, 0);
    cluster.run();
    expect(byId(cluster.results, "b").cachedPromptTokens).toBe(1024);
  });

  it("emits KV events with parent hashes and gap-free sequence numbers; evicts under pressure", () => {
    const events: KvEventInit[] = [];
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, kvCapacityTokens: 4096, tier: "small", instanceId: "w1" }] });
    cluster.instances[0]!.onKvEvent((e) => events.push(e));
    for (let i = 0; i < 8; i++) {
      const p = ids(1000, 100 + i);
      cluster.submit({ id: `r${i}`, promptTokens: 1000, outputTokens: 30, promptTokenIds: p }, i * 2000, 0);
    }
    cluster.run();
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => BigInt(i + 1)));
    expect(events.every((e) => e.tier === "small" && e.instanceId === "w1")).toBe(true);
    const stored = events.filter((e) => e.event?.case === "stored");
    const removed = events.filter((e) => e.event?.case === "removed");
    expect(stored.length).toBeGreaterThanOrEqual(8);
    expect(removed.length).toBeGreaterThan(0);
    const firstStored = stored[0]!.event;
    if (firstStored?.case !== "stored") throw new Error("unreachable");
    expect(firstStored.value.parentBlockHash).toBeUndefined();
    expect(firstStored.value.blockSize).toBe(16);
    expect(firstStored.value.blockHashes).toHaveLength(62); // floor(1000 / 16)

    cluster.instances[0]!.resetPrefixCache(cluster.now);
    expect(events.at(-1)?.event?.case).toBe("cleared");
  });

  it("caches the blocks written while decoding when the output token ids are known", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }] });
    const prompt = ids(100, 1);
    const output = ids(60, 2);
    cluster.submit({ id: "turn1", promptTokens: 100, outputTokens: 60, promptTokenIds: prompt, outputTokenIds: output }, 0, 0);
    const next = [...prompt, ...output, ...ids(50, 3)];
    cluster.submit({ id: "turn2", promptTokens: next.length, outputTokens: 5, promptTokenIds: next }, 5000, 0);
    cluster.run();
    // The 160 tokens of turn 1 fill 10 blocks; the last token of an output is never computed: 9 blocks (144).
    expect(byId(cluster.results, "turn2").cachedPromptTokens).toBe(144);
  });

  it("under memory pressure (tiny KV cache, many long requests) evicts, preempts and still completes every request", () => {
    const events: KvEventInit[] = [];
    const cluster = new VirtualCluster({ seed: 1, instances: [{ preset: PRESET, kvCapacityTokens: 16_384 }] });
    cluster.instances[0]!.onKvEvent((e) => events.push(e));
    for (let i = 0; i < 40; i++) {
      const p = ids(3000 + 100 * (i % 7), i);
      cluster.submit({ id: `r${i}`, promptTokens: p.length, outputTokens: 300 + 50 * (i % 5), promptTokenIds: p }, i * 5, 0);
    }
    cluster.run();
    expect(cluster.results).toHaveLength(40);
    expect(cluster.results.every((r) => r.outputTokens === 300 + 50 * (Number(r.id.slice(1)) % 5))).toBe(true);
    const m = cluster.instances[0]!.metrics();
    expect(m["vllm:num_preemptions"]).toBeGreaterThan(0);
    expect(m["vllm:request_success"]).toBe(40);
    expect(events.some((e) => e.event?.case === "removed")).toBe(true);
    expect(cluster.instances[0]!.load()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it("runs long-prompt traces to the end: 1,000 requests of ≈ 12k tokens on 4 instances, without keeping results", () => {
    let done = 0;
    const cluster = new VirtualCluster({
      seed: 2,
      keepResults: false,
      instances: Array(4).fill({ preset: PRESET }),
      onComplete: () => done++,
    });
    for (let i = 0; i < 1000; i++) {
      const turns = 8 + (i % 32);
      const hashIds = Array.from({ length: turns }, (_, k) => (k < 4 ? i % 10 : i) * 1000 + k);
      const promptTokens = turns * 512 - 100;
      cluster.submit(
        { id: `r${i}`, promptTokens, outputTokens: 343, blockHashes: () => hashIdsToBlockHashes(hashIds, { promptTokens }) },
        i * 300,
        i % 4,
      );
    }
    cluster.run();
    expect(cluster.inFlight).toBe(0);
    expect(done).toBe(1000);
    expect(cluster.results).toHaveLength(0);
  });

  it("load() reports KV blocks in all and the prompt tokens admitted and not yet prefilled", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0, maxNumSeqs: 1, kvCapacityTokens: 65_536 }] });
    const core = cluster.instances[0]!;
    cluster.submit({ id: "a", promptTokens: 3000, outputTokens: 500 }, 0, 0);
    cluster.submit({ id: "b", promptTokens: 1000, outputTokens: 5 }, 0, 0);
    expect(core.load()).toMatchObject({ kvBlocksTotal: 65_536 / 16, waitingPromptTokens: 0 });
    cluster.run(0); // both arrived, a's prefill is in flight, b queued behind it (one sequence at a time)
    expect(core.load().waitingPromptTokens).toBe(4000);
    cluster.run(1000); // a decoding (its prompt took one step of ≤ 8192 tokens): only b's 1000 are left
    expect(core.load()).toMatchObject({ running: 1, waiting: 1, waitingPromptTokens: 1000 });
    cluster.run();
    expect(core.load().waitingPromptTokens).toBe(0);
  });

  it("load() leaves a queued prompt's cached prefix out of the prefill queued ahead", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0, maxNumSeqs: 1 }] });
    const core = cluster.instances[0]!;
    const prefix = ids(1024, 4);
    cluster.submit({ id: "warm", promptTokens: 1024, outputTokens: 1, promptTokenIds: prefix }, 0, 0);
    cluster.submit({ id: "busy", promptTokens: 100, outputTokens: 400 }, 1000, 0);
    const again = [...prefix, ...ids(200, 5)];
    cluster.submit({ id: "again", promptTokens: again.length, outputTokens: 5, promptTokenIds: again }, 1000, 0);
    cluster.run(1000); // "again" queued behind "busy" (one sequence at a time); its 1024-token prefix is cached
    expect(core.load()).toMatchObject({ waiting: 1, waitingPromptTokens: 200 + 100 });
    cluster.run();
    expect(core.load().waitingPromptTokens).toBe(0);
  });
});

describe("VirtualCluster migration (recompute onto another instance)", () => {
  /** Places every request on instance 0 with a bound; the hook moves it to instance 1. */
  function migrating(bound: number, opts: { onComplete?: (r: RequestResult) => void } = {}) {
    const asked: number[] = [];
    const cluster = new VirtualCluster({
      instances: [{ preset: PRESET, jitter: 0 }, { preset: PRESET, jitter: 0 }],
      migrate: (req, _instances) => {
        asked.push(req.contextTokens);
        return req.from === 0 ? { instance: 1 } : undefined;
      },
      ...opts,
    });
    const place = () => ({ instance: 0, migrateAbove: bound });
    return { cluster, asked, place };
  }

  it("moves a request whose context passes its bound, keeps its TTFT and output count, and counts the move", () => {
    const { cluster, asked, place } = migrating(1100);
    cluster.submit({ id: "long", promptTokens: 1000, outputTokens: 300 }, 0, place);
    cluster.submit({ id: "short", promptTokens: 1000, outputTokens: 50 }, 0, place);
    cluster.run();
    const long = byId(cluster.results, "long");
    const short = byId(cluster.results, "short");
    expect(asked).toEqual([1101]);
    expect(long).toMatchObject({ instance: 1, migrations: 1, outputTokens: 300, promptTokens: 1000, arrivalMs: 0 });
    expect(short).toMatchObject({ instance: 0, migrations: 0, outputTokens: 50 });
    expect(cluster.inFlight).toBe(0);
    // Against the same run without the hook: the same first token, a later finish (the recompute).
    const stay = new VirtualCluster({ instances: [{ preset: PRESET, jitter: 0 }, { preset: PRESET, jitter: 0 }] });
    stay.submit({ id: "long", promptTokens: 1000, outputTokens: 300 }, 0, place);
    stay.submit({ id: "short", promptTokens: 1000, outputTokens: 50 }, 0, place);
    stay.run();
    expect(long.ttftMs).toBe(byId(stay.results, "long").ttftMs);
    expect(byId(stay.results, "long").migrations).toBe(0);
    expect(long.e2eMs).not.toBe(byId(stay.results, "long").e2eMs);
  });

  it("numbers tokens across the move without a second first token", () => {
    const first: string[] = [];
    let last = 0;
    const cluster = new VirtualCluster({
      instances: [{ preset: PRESET }, { preset: PRESET }],
      migrate: (req) => (req.from === 0 ? 1 : undefined),
      onFirstToken: (id) => first.push(id),
      onToken: (_id, index) => {
        expect(index).toBe(last + 1);
        last = index;
      },
    });
    cluster.submit({ id: "a", promptTokens: 100, outputTokens: 40 }, 0, () => ({ instance: 0, migrateAbove: 120 }));
    cluster.run();
    expect(first).toEqual(["a"]);
    expect(last).toBe(40);
    expect(cluster.results[0]).toMatchObject({ outputTokens: 40, migrations: 1, instance: 1 });
  });

  it("stays put and stops asking when the hook answers undefined", () => {
    const asked: number[] = [];
    const cluster = new VirtualCluster({
      instances: [{ preset: PRESET }, { preset: PRESET }],
      migrate: (req) => {
        asked.push(req.contextTokens);
        return undefined;
      },
    });
    cluster.submit({ id: "a", promptTokens: 100, outputTokens: 40 }, 0, () => ({ instance: 0, migrateAbove: 110 }));
    cluster.run();
    expect(asked).toEqual([111]);
    expect(cluster.results[0]).toMatchObject({ instance: 0, migrations: 0 });
  });

  it("never migrates without a hook, nor requests placed by index", () => {
    const cluster = new VirtualCluster({ instances: [{ preset: PRESET }, { preset: PRESET }] });
    cluster.submit({ id: "a", promptTokens: 100, outputTokens: 40 }, 0, () => ({ instance: 1, migrateAbove: 110 }));
    cluster.run();
    expect(cluster.results[0]).toMatchObject({ instance: 1, migrations: 0 });
  });
});
