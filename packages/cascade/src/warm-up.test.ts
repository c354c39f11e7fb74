import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import { GenerationInputSchema, WarmResponseSchema, type WarmRequestSchema, type WarmResponse } from "@weir/proto";
import { installTestTracing } from "@weir/testkit/tracing";
import { beforeEach, describe, expect, it } from "vitest";
import { createCascade, type CascadeOptions } from "./cascade.js";
import type { CascadePorts } from "./ports.js";
import { fakePorts } from "./test-support/fake-ports.js";
import type { WarmUpReport } from "./warm-up.js";

const tracing = installTestTracing();
beforeEach(() => tracing.reset());

const TIERS: CascadeOptions["tiers"] = [
  { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
  { name: "medium", model: "org/medium-30b", pricing: { inputPerMTok: 0.5, outputPerMTok: 1 } },
  { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
];

type WarmInit = MessageInitShape<typeof WarmRequestSchema>;

interface Harness {
  ports: CascadePorts & { calls: ReturnType<typeof fakePorts>["calls"] };
  warms: WarmInit[];
  /** Placements made when each warm call came in. */
  placedBefore: number[];
  /** The port's answers are the test's: resolve or reject each call in order. */
  answers: { resolve(r: WarmResponse): void; reject(e: unknown): void }[];
}

/**
 * Fake ports whose plan marks the rungs in `warm` with warm_up, and whose
 * warm call waits for the test to answer it.
 */
function harness(opts: { smallScore: number; mediumScore?: number; warm: number[]; ladder?: [string, number][]; noWarmPort?: boolean }): Harness {
  const ports = fakePorts({
    tiers: {
      small: { instances: ["s1"], pieces: ["cheap"], score: opts.smallScore },
      medium: { instances: ["m1"], pieces: ["middling"], score: opts.mediumScore ?? 1 },
      large: { instances: ["l1"], pieces: ["strong"] },
    },
    ladder: opts.ladder ?? [
      ["small", 0.5],
      ["large", 0],
    ],
  });
  const plan = ports.plan.bind(ports);
  ports.plan = async (req, signal) => {
    const p = await plan(req, signal);
    for (const i of opts.warm) if (p.steps[i] !== undefined) p.steps[i].warmUp = true;
    return p;
  };
  const warms: WarmInit[] = [];
  const placedBefore: number[] = [];
  const answers: Harness["answers"] = [];
  if (opts.noWarmPort !== true) {
    ports.warm = (req) => {
      warms.push(req);
      placedBefore.push(ports.calls.place.length);
      return new Promise<WarmResponse>((resolve, reject) => answers.push({ resolve, reject }));
    };
  }
  return { ports, warms, placedBefore, answers };
}

async function run(ports: CascadePorts, onWarmUp?: (r: WarmUpReport) => void): Promise<{ tier: string; escalated: boolean }> {
  const cascade = createCascade(ports, { tiers: TIERS, ...(onWarmUp ? { onWarmUp } : {}) });
  const input = create(GenerationInputSchema, { model: "weir-auto", messages: [{ role: "user", content: "What is 6 × 7?" }] });
  for await (const ev of cascade.run(input, { signal: new AbortController().signal, requestId: "req-w" })) {
    if (ev.type === "done") return { tier: ev.response.cascade?.tier ?? "", escalated: ev.response.cascade?.escalated ?? false };
  }
  throw new Error("no done event");
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("escalation warm-up in the cascade", () => {
  it("asks the kv-cache-manager to warm the next rung at the start, with the prompt, and never waits for the answer", async () => {
    const h = harness({ smallScore: 0.1, warm: [1] });
    // The warm call is never answered: the request completes anyway.
    const result = await run(h.ports);
    expect(result).toEqual({ tier: "large", escalated: true });
    expect(h.warms).toHaveLength(1);
    expect(h.warms[0]).toMatchObject({
      requestId: "req-w",
      tier: "large",
      messages: [{ role: "user", content: "What is 6 × 7?" }],
      prompt: "",
    });
    expect(h.warms[0]?.promptTokens).toBeGreaterThan(0);
    // Fired before the first rung was even placed.
    expect(h.placedBefore).toEqual([0]);
  });

  it("asks for nothing when no rung is marked, or when the ports have no warm call", async () => {
    const none = harness({ smallScore: 0.1, warm: [] });
    await run(none.ports);
    expect(none.warms).toHaveLength(0);
    const noPort = harness({ smallScore: 0.1, warm: [1], noWarmPort: true });
    expect(await run(noPort.ports)).toEqual({ tier: "large", escalated: true });
  });

  it("reports started and skipped warm-ups as events on the run span and to onWarmUp", async () => {
    const reports: WarmUpReport[] = [];
    const h = harness({ smallScore: 0.9, warm: [1] });
    const running = run(h.ports, (r) => reports.push(r));
    await flush();
    h.answers[0]?.resolve(create(WarmResponseSchema, { started: true, instanceId: "l1", reason: "prefilling on l1" }));
    expect(await running).toEqual({ tier: "small", escalated: false });
    await flush();
    expect(reports).toEqual([{ tier: "large", outcome: "started", reason: "prefilling on l1", instanceId: "l1" }]);

    const skipped = harness({ smallScore: 0.9, warm: [1] });
    const reports2: WarmUpReport[] = [];
    const pending = run(skipped.ports, (r) => reports2.push(r));
    await flush();
    skipped.answers[0]?.resolve(create(WarmResponseSchema, { started: false, reason: "already cached on l1", instanceId: "l1" }));
    await pending;
    await flush();
    expect(reports2.map((r) => r.outcome)).toEqual(["skipped"]);
  });

  it("never fails the request when the warm call fails: a span event and a failed report", async () => {
    const reports: WarmUpReport[] = [];
    const h = harness({ smallScore: 0.1, warm: [1] });
    h.ports.warm = async () => {
      throw WeirError.unavailable("no kv-cache-manager is running: nothing answers on weir.kv.warm");
    };
    // The rejection settles while the run still awaits its first rung, so the run span records it.
    const result = await run(h.ports, (r) => reports.push(r));
    expect(result).toEqual({ tier: "large", escalated: true });
    await flush();
    expect(reports).toEqual([{ tier: "large", outcome: "failed", reason: "no kv-cache-manager is running: nothing answers on weir.kv.warm" }]);
    const root = tracing.finishedSpans().find((s) => s.name === "weir.cascade");
    expect(root?.status.code).not.toBe(2);
    const event = root?.events.find((e) => e.name === "weir.warmup.failed");
    expect(event?.attributes).toMatchObject({ "weir.tier": "large", "weir.warmup.outcome": "failed" });
  });

  it("survives a warm port that throws synchronously and an onWarmUp that throws", async () => {
    const h = harness({ smallScore: 0.1, warm: [1] });
    h.ports.warm = () => {
      throw new Error("boom");
    };
    const result = await run(h.ports, () => {
      throw new Error("listener broke");
    });
    expect(result.tier).toBe("large");
    await flush();
  });

  it("on a longer ladder warms each marked rung when the rung before it starts", async () => {
    const h = harness({
      smallScore: 0.1,
      mediumScore: 0.1,
      warm: [1, 2],
      ladder: [
        ["small", 0.5],
        ["medium", 0.5],
        ["large", 0],
      ],
    });
    expect(await run(h.ports)).toEqual({ tier: "large", escalated: true });
    expect(h.warms.map((w) => w.tier)).toEqual(["medium", "large"]);
    // medium is warmed before small is placed; large once small was rejected, before medium is placed.
    expect(h.placedBefore).toEqual([0, 1]);
  });
});
