import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import {
  GenerateTokensResponseSchema,
  PlacementSchema,
  WarmRequestSchema,
  type GenerateTokensRequestSchema,
  type GenerateTokensResponse,
  type PlaceRequestSchema,
  type Placement,
} from "@weir/proto";
import { describe, expect, it } from "vitest";
import { createWarmUpWith, type WarmUpOutcome, type WarmUpPorts } from "./warm-up.js";

const HASHES = [11n, 12n, 13n];

const warmRequest = (init: MessageInitShape<typeof WarmRequestSchema> = {}) =>
  create(WarmRequestSchema, {
    requestId: "req-1",
    tier: "large",
    messages: [{ role: "user", content: "How many meters a week?" }],
    promptTokens: 50,
    blockHashes: HASHES,
    ...init,
  });

/** A prefill stream the test ends (or fails) when it likes. */
interface OpenStream {
  instanceId: string;
  req: MessageInitShape<typeof GenerateTokensRequestSchema>;
  deadlineMs: number;
  signal: AbortSignal;
  end(cachedPromptTokens?: number): void;
  fail(err: unknown): void;
}

function fakes(placeImpl?: (req: MessageInitShape<typeof PlaceRequestSchema>) => Promise<Placement>) {
  const places: MessageInitShape<typeof PlaceRequestSchema>[] = [];
  const streams: OpenStream[] = [];
  const ports: WarmUpPorts = {
    async place(req) {
      places.push(req);
      if (placeImpl) return placeImpl(req);
      return create(PlacementSchema, { instanceId: "large-1", tier: req.tier ?? "", address: "fake:1", policy: "prefix-aware", reason: "idle" });
    },
    generate(placement, req, opts) {
      let settle!: { resolve(msg: GenerateTokensResponse): void; reject(err: unknown): void };
      const done = new Promise<GenerateTokensResponse>((resolve, reject) => (settle = { resolve, reject }));
      streams.push({
        instanceId: placement.instanceId,
        req,
        deadlineMs: opts.deadlineMs,
        signal: opts.signal,
        end: (cached = 0) =>
          settle.resolve(
            create(GenerateTokensResponseSchema, {
              finishReason: "prefill",
              usage: { promptTokens: 50, completionTokens: 0, totalTokens: 50, cachedPromptTokens: cached },
            }),
          ),
        fail: (err) => settle.reject(err),
      });
      opts.signal.addEventListener("abort", () => settle.reject(new Error("cancelled")), { once: true });
      return (async function* () {
        yield await done;
      })();
    },
  };
  return { ports, places, streams };
}

const noMatches = { match: () => [] };
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("escalation warm-up (kv-cache-manager)", () => {
  it("places with warmup=true and starts a prefill-only stream in the background, answering at once", async () => {
    const f = fakes();
    const outcomes: WarmUpOutcome[] = [];
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 2, deadlineMs: 1234, onOutcome: (o) => outcomes.push(o) });
    const res = await w.handle(warmRequest());
    expect(res).toMatchObject({ started: true, instanceId: "large-1", cachedBlocks: 0 });
    expect(res.reason).toContain("prefilling 3 of 3 blocks on large-1");
    expect(f.places).toEqual([{ requestId: "req-1", tier: "large", promptTokens: 50, blockHashes: HASHES, warmup: true }]);
    await flush();
    expect(f.streams).toHaveLength(1);
    expect(f.streams[0]).toMatchObject({
      instanceId: "large-1",
      deadlineMs: 1234,
      req: { requestId: "req-1/warm-up", tier: "large", prefillOnly: true, messages: [{ role: "user", content: "How many meters a week?" }] },
    });
    expect(w.inFlight()).toBe(1);
    f.streams[0]?.end(16);
    await flush();
    expect(w.inFlight()).toBe(0);
    expect(outcomes).toEqual([
      { tier: "large", outcome: "started", instanceId: "large-1" },
      { tier: "large", outcome: "completed", instanceId: "large-1", prefilledTokens: 34 },
    ]);
  });

  it("skips a prompt some instance already holds whole, without asking the scheduler", async () => {
    const f = fakes();
    const index = {
      match: () => [
        { instanceId: "large-0", matchedBlocks: 1 },
        { instanceId: "large-2", matchedBlocks: 3 },
      ],
    };
    const w = createWarmUpWith(f.ports, { index });
    expect(await w.handle(warmRequest())).toEqual({
      started: false,
      reason: "already cached: large-2 holds all 3 blocks of the prompt",
      instanceId: "large-2",
      cachedBlocks: 3,
    });
    expect(f.places).toHaveLength(0);
  });

  it("says how much the placed instance held already when the index has part of the prompt", async () => {
    const f = fakes();
    const w = createWarmUpWith(f.ports, { index: { match: () => [{ instanceId: "large-1", matchedBlocks: 2 }] } });
    expect(await w.handle(warmRequest())).toMatchObject({ started: true, cachedBlocks: 2 });
  });

  it("skips a prompt without a full block", async () => {
    const f = fakes();
    const w = createWarmUpWith(f.ports, { index: noMatches });
    expect(await w.handle(warmRequest({ blockHashes: [] }))).toMatchObject({ started: false, reason: expect.stringMatching(/shorter than one KV block/) });
    expect(f.places).toHaveLength(0);
  });

  it("holds one global budget: skips while maxInFlight prefills run, counting placements under way, and frees a slot when one ends", async () => {
    let release!: () => void;
    const slowPlace = new Promise<void>((r) => (release = r));
    const f = fakes(async (req) => {
      await slowPlace;
      return create(PlacementSchema, { instanceId: "large-1", tier: req.tier ?? "", address: "fake:1" });
    });
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 1 });
    const first = w.handle(warmRequest());
    // The first is still being placed: its slot is taken already.
    const second = await w.handle(warmRequest({ requestId: "req-2", tier: "medium" }));
    expect(second).toMatchObject({ started: false, reason: "warm-up budget spent: 1 warm-ups in flight (at most 1)" });
    release();
    expect(await first).toMatchObject({ started: true });
    await flush();
    expect((await w.handle(warmRequest({ requestId: "req-3" }))).started).toBe(false);
    f.streams[0]?.end();
    await flush();
    expect((await w.handle(warmRequest({ requestId: "req-4" }))).started).toBe(true);
  });

  it("a budget of 0 skips every warm-up", async () => {
    const f = fakes();
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 0 });
    expect((await w.handle(warmRequest())).started).toBe(false);
    expect(f.places).toHaveLength(0);
  });

  it("skips when the scheduler refuses with RESOURCE_EXHAUSTED, and gives the slot back", async () => {
    const f = fakes(async () => {
      throw WeirError.resourceExhausted('warm-up refused: no instance of tier "large" is idle enough for one');
    });
    const outcomes: WarmUpOutcome[] = [];
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 1, onOutcome: (o) => outcomes.push(o) });
    const res = await w.handle(warmRequest());
    expect(res).toMatchObject({ started: false, reason: expect.stringMatching(/^no idle instance: warm-up refused/) });
    expect(w.inFlight()).toBe(0);
    expect(outcomes.map((o) => o.outcome)).toEqual(["no_idle_instance"]);
  });

  it("throws any other scheduler failure, so the gateway counts it as failed", async () => {
    const f = fakes(async () => {
      throw WeirError.unavailable("no scheduler is running: nothing answers on weir.scheduler.place");
    });
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 1 });
    await expect(w.handle(warmRequest())).rejects.toMatchObject({ message: expect.stringMatching(/no scheduler is running/) });
    expect(w.inFlight()).toBe(0);
  });

  it("counts a failed prefill and frees its slot; close() cancels the prefills in flight", async () => {
    const f = fakes();
    const outcomes: WarmUpOutcome[] = [];
    const warnings: string[] = [];
    const log = { debug: () => undefined, warn: (_: object, msg: string) => warnings.push(msg) };
    const w = createWarmUpWith(f.ports, { index: noMatches, maxInFlight: 4, log, onOutcome: (o) => outcomes.push(o) });
    await w.handle(warmRequest());
    await w.handle(warmRequest({ requestId: "req-2" }));
    await flush();
    f.streams[0]?.fail(WeirError.unavailable("worker large-1 is gone"));
    await flush();
    expect(w.inFlight()).toBe(1);
    expect(warnings).toEqual(["warm-up prefill failed"]);
    w.close();
    await flush();
    expect(f.streams[1]?.signal.aborted).toBe(true);
    expect(w.inFlight()).toBe(0);
    expect(outcomes.filter((o) => o.outcome === "failed")).toHaveLength(2);
    // A cancellation at shutdown is not worth a warning.
    expect(warnings).toHaveLength(1);
  });

  it("refuses a bad budget or deadline", () => {
    expect(() => createWarmUpWith(fakes().ports, { index: noMatches, maxInFlight: -1 })).toThrow(RangeError);
    expect(() => createWarmUpWith(fakes().ports, { index: noMatches, deadlineMs: 0 })).toThrow(RangeError);
  });
});
