#!/usr/bin/env node
// `pnpm bench:kv-match`: the kv-cache-manager's prefix index at production
// size. In process: match p50/p99 for a 32k-token prompt (2,048 blocks of 16)
// against an index of many instances and a million (instance, block)
// entries; memory per entry; apply rate; snapshot size and cost. Over NATS:
// the same match as a round trip to a kv-cache-manager process (the
// scheduler's view), and its time to ready after a restart, from the stream
// alone and from a snapshot.
//   pnpm bench:kv-match [--instances 64] [--blocks 16384] [--samples 5000] [--no-nats]
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { KV_EVENTS_STREAM, ServicePrefix, Subjects, connectBus, createServiceClient, ensureStream } from "@weir/bus";
import { KvCacheService, KvEventSchema, KvIndexSnapshotSchema, type KvEvent } from "@weir/proto";
import { startNatsServer, startProcess, waitFor } from "@weir/testkit";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { PrefixIndex } from "@weir/kv-index";
import { summarize } from "./stats.js";

const { values: args } = parseArgs({
  options: {
    instances: { type: "string", default: "64" },
    blocks: { type: "string", default: "16384" },
    samples: { type: "string", default: "5000" },
    "no-nats": { type: "boolean", default: false },
  },
});
const INSTANCES = Number(args.instances);
const BLOCKS = Number(args.blocks); // per instance
const SAMPLES = Number(args.samples);
const PROMPT_BLOCKS = 2048; // 32k tokens
const SYSTEM_BLOCKS = 128; // a 2k-token system prompt every instance holds
const EVENT_BLOCKS = 64; // blocks per "stored" event
const TIER = "large";
const out = (s = ""): void => void process.stdout.write(s + "\n");
const us = (ms: number): string => `${(ms * 1000).toFixed(ms < 1 ? 1 : 0)} µs`;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapUsed = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Distinct, reproducible 64-bit "block hashes". */
function chain(n: number, salt: bigint): bigint[] {
  const hashes: bigint[] = [];
  let x = 0x9e3779b97f4a7c15n ^ (salt * 0x2545f4914f6cdd1dn);
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    hashes.push(x);
  }
  return hashes;
}

const system = chain(SYSTEM_BLOCKS, 1n);
const prompt = [...system, ...chain(PROMPT_BLOCKS - SYSTEM_BLOCKS, 2n)];
const missPrompt = chain(PROMPT_BLOCKS, 3n);

/**
 * The events that fill one tier: every instance holds the system prompt and
 * its own conversations up to BLOCKS blocks; in "typical", instance 0 holds
 * the whole prompt and instance 1 its first half; in "adversarial" every
 * instance holds the whole prompt (the most work one match can take).
 */
function tierEvents(layout: "typical" | "adversarial"): KvEvent[] {
  const events: KvEvent[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const id = `large-${i}`;
    const held =
      layout === "adversarial" || i === 0 ? prompt : i === 1 ? prompt.slice(0, PROMPT_BLOCKS / 2) : system;
    const own = chain(Math.max(0, BLOCKS - held.length), BigInt(1_000 + i));
    const blocks = [...held, ...own];
    let seq = 0;
    for (let at = 0; at < blocks.length; at += EVENT_BLOCKS) {
      events.push(
        create(KvEventSchema, {
          instanceId: id,
          tier: TIER,
          sequence: BigInt(++seq),
          timestampMs: BigInt(1_000 + seq),
          event: { case: "stored", value: { blockHashes: blocks.slice(at, at + EVENT_BLOCKS), blockSize: 16 } },
        }),
      );
    }
  }
  return events;
}

/** Match latency, cycling through `prompts` (one prompt: its blocks stay in the CPU caches). */
function timeMatches(index: PrefixIndex, ...prompts: bigint[][]): { p50: number; p99: number; mean: number } {
  for (let i = 0; i < 500; i++) index.match(TIER, prompts[i % prompts.length] as bigint[]);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const hashes = prompts[i % prompts.length] as bigint[];
    const t0 = process.hrtime.bigint();
    index.match(TIER, hashes);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(samples);
}

/** Instance i's own conversation as a prompt (i ≥ 2): the system prompt, then 1,920 blocks only it holds. */
function ownPrompt(i: number): bigint[] {
  return [...system, ...chain(Math.max(0, BLOCKS - SYSTEM_BLOCKS), BigInt(1_000 + i)).slice(0, PROMPT_BLOCKS - SYSTEM_BLOCKS)];
}

out(`kv-cache-manager prefix index — ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores), Node ${process.version}`);
out(`${INSTANCES} instances × ${BLOCKS} blocks in one tier; prompt ${PROMPT_BLOCKS} blocks (32k tokens), system prompt ${SYSTEM_BLOCKS} blocks held by all`);
out();

// --- in process: build (apply rate, memory), match, snapshot ---------------
// Memory: the heap with the index (its hashes included) minus the heap before
// the events that built it existed.
const before = heapUsed();
let index = new PrefixIndex();
let eventCount = 0;
let applyMs = 0;
let t0 = 0;
{
  const events = tierEvents("typical");
  eventCount = events.length;
  t0 = performance.now();
  for (const e of events) index.apply(e);
  applyMs = performance.now() - t0;
}
const stats = index.stats();
const bytesPerEntry = (heapUsed() - before) / stats.blocks;

const typical = timeMatches(index, prompt);
// A different prompt each time: ~(instances × 2,048) blocks cycled, far beyond the CPU caches.
const cold = timeMatches(index, ...Array.from({ length: INSTANCES - 2 }, (_, i) => ownPrompt(i + 2)));
const miss = timeMatches(index, missPrompt);
const check = index.match(TIER, prompt);
if (check[0]?.matchedBlocks !== PROMPT_BLOCKS || check[1]?.matchedBlocks !== PROMPT_BLOCKS / 2 || check.length !== INSTANCES) {
  throw new Error(`unexpected match result: ${JSON.stringify(check.slice(0, 3))}`);
}

t0 = performance.now();
const parts = [...index.toSnapshotParts({ streamSequence: 1n, takenAtMs: BigInt(Date.now()) })];
const encodeMs = performance.now() - t0;
const snapshotBytes = parts.reduce((n, p) => n + p.length, 0);
const largestPart = Math.max(...parts.map((p) => p.length));
t0 = performance.now();
const decoded = fromBinary(KvIndexSnapshotSchema, Buffer.concat(parts));
const restored = PrefixIndex.fromSnapshot(decoded);
const restoreMs = performance.now() - t0;
if (restored.stats().blocks !== stats.blocks) throw new Error("snapshot round trip lost blocks");

const adversarialIndex = new PrefixIndex();
for (const e of tierEvents("adversarial")) adversarialIndex.apply(e);
const adversarial = timeMatches(adversarialIndex, prompt);

out("| in process | p50 | p99 | mean |");
out("|---|---|---|---|");
out(`| match, typical, one prompt repeated (1 instance holds all 2,048 blocks, 1 half, ${INSTANCES - 2} the system prompt) | ${us(typical.p50)} | ${us(typical.p99)} | ${us(typical.mean)} |`);
out(`| match, cold caches (a different instance's 2,048-block conversation each time, ${INSTANCES - 2} in turn) | ${us(cold.p50)} | ${us(cold.p99)} | ${us(cold.mean)} |`);
out(`| match, adversarial (all ${INSTANCES} instances hold all 2,048 blocks) | ${us(adversarial.p50)} | ${us(adversarial.p99)} | ${us(adversarial.mean)} |`);
out(`| match, miss (first block held by none) | ${us(miss.p50)} | ${us(miss.p99)} | ${us(miss.mean)} |`);
out();
out(`index: ${stats.blocks.toLocaleString("en")} (instance, block) entries, ${stats.uniqueBlocks.toLocaleString("en")} distinct blocks`);
out(`memory: ${bytesPerEntry.toFixed(0)} B per entry (V8 heap after GC; ${((stats.blocks * bytesPerEntry) / 2 ** 20).toFixed(0)} MiB for this index)`);
out(`apply: ${eventCount.toLocaleString("en")} events of ${EVENT_BLOCKS} blocks in ${applyMs.toFixed(0)} ms → ${((eventCount / applyMs) * 1000).toFixed(0)} events/s, ${((stats.blocks / applyMs) * 1000 / 1e6).toFixed(2)} M blocks/s`);
out(`snapshot: ${(snapshotBytes / 2 ** 20).toFixed(1)} MiB (${(snapshotBytes / stats.blocks).toFixed(1)} B per entry), encoded in ${encodeMs.toFixed(0)} ms in ${parts.length} parts (largest ${(largestPart / 2 ** 10).toFixed(0)} KiB); decode + restore ${restoreMs.toFixed(0)} ms`);
out();
index = new PrefixIndex(); // let the GC have it before the NATS part

// --- over NATS: a kv-cache-manager process ----------------------------------
if (!args["no-nats"]) {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "weir-kv-bench-"));
  const nats = await startNatsServer();
  const bus = await connectBus({ name: "kv-bench", url: nats.url });
  writeFileSync(join(dir, "weir.yaml"), `tiers:\n  - name: ${TIER}\n    model: bench/large\nscheduler:\n  heartbeatTimeoutMs: 3600000\nnats:\n  url: ${nats.url}\n`);
  const env = {
    WEIR_CONFIG: join(dir, "weir.yaml"),
    WEIR_REPLICA_ID: "bench",
    LOG_LEVEL: process.env["KV_BENCH_LOG_LEVEL"] ?? "warn",
    WEIR_KV_SNAPSHOT_EVERY_MS: "1000",
  };
  const manager = () =>
    startProcess({ name: "kv-cache-manager", command: process.execPath, args: [join(root, "services/kv-cache-manager/dist/main.js")], env, echo: false });
  const readyz = async (opsPort: unknown): Promise<boolean> =>
    (await fetch(`http://127.0.0.1:${String(opsPort)}/readyz`).catch(() => undefined))?.status === 200;
  const metrics = async (opsPort: unknown): Promise<string> => (await fetch(`http://127.0.0.1:${String(opsPort)}/metrics`)).text();
  const metric = async (opsPort: unknown, pattern: RegExp): Promise<boolean> => pattern.test(await metrics(opsPort));
  const matchTime = async (opsPort: unknown): Promise<{ sum: number; count: number }> => {
    const text = await metrics(opsPort);
    const value = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    return { sum: value("weir_kv_match_seconds_sum"), count: value("weir_kv_match_seconds_count") };
  };

  try {
    await ensureStream(bus, { name: KV_EVENTS_STREAM, subjects: [Subjects.kvEventsAll], maxAgeMs: 60 * 60 * 1000 });
    const wire = tierEvents("typical").map((e) => ({ subject: Subjects.kvEvents(e.tier, e.instanceId), bytes: toBinary(KvEventSchema, e) }));
    const wireBytes = wire.reduce((n, w) => n + w.bytes.length, 0);
    // A request to a stream's subject is a JetStream publish: the reply is its ack.
    t0 = performance.now();
    for (let at = 0; at < wire.length; at += 256) {
      await Promise.all(wire.slice(at, at + 256).map((w) => bus.nc.request(w.subject, w.bytes, { timeout: 10_000 })));
    }
    const publishMs = performance.now() - t0;

    t0 = performance.now();
    let proc = await manager();
    await waitFor(() => readyz(proc.info.opsPort), { timeoutMs: 120_000, intervalMs: 20 });
    const fromStreamMs = performance.now() - t0;

    const kv = createServiceClient(bus, KvCacheService, ServicePrefix.kv, { timeoutMs: 5_000 });
    const roundTrip = async (hashes: bigint[]) => {
      for (let i = 0; i < 200; i++) await kv.match({ tier: TIER, blockHashes: hashes });
      const samples: number[] = [];
      for (let i = 0; i < Math.min(SAMPLES, 2_000); i++) {
        const s = performance.now();
        await kv.match({ tier: TIER, blockHashes: hashes });
        samples.push(performance.now() - s);
      }
      return summarize(samples);
    };
    const res = await kv.match({ tier: TIER, blockHashes: prompt });
    if (res.matches[0]?.matchedBlocks !== PROMPT_BLOCKS) throw new Error("the service answered a different match");
    const inServiceBefore = await matchTime(proc.info.opsPort);
    const rtTypical = await roundTrip(prompt);
    const inServiceAfter = await matchTime(proc.info.opsPort);
    const inServiceMean = (inServiceAfter.sum - inServiceBefore.sum) / (inServiceAfter.count - inServiceBefore.count) * 1000;
    const rtMiss = await roundTrip(missPrompt);

    await waitFor(() => metric(proc.info.opsPort, /weir_kv_snapshots_total\{[^}]*outcome="written"/), { timeoutMs: 60_000 });
    await proc.stop();
    t0 = performance.now();
    proc = await manager();
    await waitFor(() => readyz(proc.info.opsPort), { timeoutMs: 120_000, intervalMs: 20 });
    const fromSnapshotMs = performance.now() - t0;
    await proc.stop();

    const requestBytes = PROMPT_BLOCKS * 9 + 16;
    out("| over NATS (bench → kv-cache-manager process → bench) | p50 | p99 | mean |");
    out("|---|---|---|---|");
    out(`| match round trip, typical (request ≈ ${(requestBytes / 1024).toFixed(0)} KiB of hashes) | ${us(rtTypical.p50)} | ${us(rtTypical.p99)} | ${us(rtTypical.mean)} |`);
    out(`| match round trip, miss | ${us(rtMiss.p50)} | ${us(rtMiss.p99)} | ${us(rtMiss.mean)} |`);
    out(`| (of which the index, typical, from weir_kv_match_seconds) | | | ${us(inServiceMean)} |`);
    out();
    out(`stream: ${wire.length.toLocaleString("en")} events (${(wireBytes / 2 ** 20).toFixed(1)} MiB) published in ${publishMs.toFixed(0)} ms`);
    out(`start to ready (process start, replay, serving): from the stream alone ${(fromStreamMs / 1000).toFixed(1)} s; from a snapshot ${(fromSnapshotMs / 1000).toFixed(1)} s`);
  } finally {
    await bus.close();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
