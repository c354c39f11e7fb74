import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { GenerationInputSchema, StreamingPolicy, type GenerateResponse } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { createCascade, type CascadeOptions } from "./cascade.js";
import type { CascadePorts } from "./ports.js";
import { fakePorts } from "./test-support/fake-ports.js";

const TIERS: CascadeOptions["tiers"] = [
  { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
  { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
];

// Ten one-token pieces: a judge reading 3 tokens sees "bad0 bad1 bad2 " only.
const SMALL_PIECES = Array.from({ length: 10 }, (_, i) => `bad${i} `);
const LARGE_PIECES = ["good ", "answer"];

/** Fake ports that count, per instance, how many worker messages were sent so far. */
function ports(smallScore: number): ReturnType<typeof fakePorts> & { sent: Map<string, number> } {
  const fake = fakePorts({
    tiers: {
      small: { instances: ["s1"], pieces: SMALL_PIECES, score: smallScore },
      large: { instances: ["l1"], pieces: LARGE_PIECES },
    },
    ladder: [
      ["small", 0.5],
      ["large", 0],
    ],
  });
  const sent = new Map<string, number>();
  const inner = fake.generate.bind(fake);
  const generate: CascadePorts["generate"] = async function* (placement, req, signal) {
    for await (const msg of inner(placement, req, signal)) {
      sent.set(placement.instanceId, (sent.get(placement.instanceId) ?? 0) + 1);
      yield msg;
    }
  };
  return Object.assign(fake, { generate, sent });
}

interface Run {
  deltas: string[];
  /** Messages the small worker had sent when the client got its first text. */
  smallSentAtFirstDelta: number | undefined;
  response: GenerateResponse;
}

async function run(
  p: ReturnType<typeof ports>,
  init: MessageInitShape<typeof GenerationInputSchema> = {},
  opts: Partial<CascadeOptions> = {},
): Promise<Run> {
  const cascade = createCascade(p, { tiers: TIERS, earlyJudgeTokens: 3, ...opts });
  const input = create(GenerationInputSchema, { model: "weir-auto", messages: [{ role: "user", content: "2+2?" }], ...init });
  const deltas: string[] = [];
  let smallSentAtFirstDelta: number | undefined;
  let response: GenerateResponse | undefined;
  for await (const ev of cascade.run(input, { signal: new AbortController().signal, requestId: "r1" })) {
    if (ev.type === "delta") {
      if (deltas.length === 0) smallSentAtFirstDelta = p.sent.get("s1") ?? 0;
      deltas.push(ev.text);
    } else response = ev.response;
  }
  if (response === undefined) throw new Error("no done event");
  return { deltas, smallSentAtFirstDelta, response };
}

function leaked(deltas: string[]): boolean {
  return deltas.join("").includes("bad");
}

describe("streaming policies on a rejected rung", () => {
  for (const policy of ["buffered", "early"] as const) {
    it(`${policy}: the client sees only the accepted tier's text, never a token of the rejected one`, async () => {
      const p = ports(0.1);
      const { deltas, response } = await run(p, {}, { streamingPolicy: policy });
      expect(leaked(deltas)).toBe(false);
      expect(deltas.join("")).toBe("good answer");
      expect(response.text).toBe("good answer");
      expect(response.cascade?.streamingPolicy).toBe(policy);
      expect(response.cascade?.path.map((s) => [s.tier, s.accepted])).toEqual([
        ["small", false],
        ["large", true],
      ]);
    });
  }

  it("early: judges only the first N tokens, then cancels the rejected worker and bills what it generated", async () => {
    const p = ports(0.1);
    const { response } = await run(p, { streamingPolicy: StreamingPolicy.EARLY });
    expect(p.calls.score).toHaveLength(1);
    expect(p.calls.score[0]?.response).toBe("bad0 bad1 bad2 ");
    expect(p.calls.score[0]?.completionTokens).toBe(3);
    // Cancelled after the prefix: the worker never sent its whole answer.
    expect(p.sent.get("s1")).toBeLessThan(SMALL_PIECES.length);
    expect(p.calls.closed).toContain("s1");
    const small = response.cascade?.path[0];
    expect(small?.instanceId).toBe("s1");
    expect(small?.completionTokens).toBe(3);
    expect(small?.costUsd).toBeGreaterThan(0);
  });

  it("early: an answer shorter than N is judged whole, and still never leaks when rejected", async () => {
    const p = ports(0.1);
    const { deltas } = await run(p, { streamingPolicy: StreamingPolicy.EARLY }, { earlyJudgeTokens: 100 });
    expect(p.calls.score[0]?.response).toBe(SMALL_PIECES.join(""));
    expect(leaked(deltas)).toBe(false);
  });
});

describe("streaming policies on an accepted rung", () => {
  it("early: the first text reaches the client while the judged tier is still generating", async () => {
    const p = ports(0.9);
    const { deltas, smallSentAtFirstDelta, response } = await run(p, { streamingPolicy: StreamingPolicy.EARLY });
    expect(deltas.join("")).toBe(SMALL_PIECES.join(""));
    expect(deltas.length).toBeGreaterThan(1);
    expect(smallSentAtFirstDelta).toBeLessThan(SMALL_PIECES.length);
    expect(response.cascade?.tier).toBe("small");
    expect(response.cascade?.qeScore).toBe(0.9);
    expect(response.text).toBe(SMALL_PIECES.join(""));
    // Judged once, on the prefix: the rest streamed unjudged.
    expect(p.calls.score).toHaveLength(1);
  });

  it("buffered: the first text waits for the whole judged answer", async () => {
    const p = ports(0.9);
    const { deltas, smallSentAtFirstDelta } = await run(p, { streamingPolicy: StreamingPolicy.BUFFERED }, { streamingPolicy: "early" });
    expect(deltas).toEqual([SMALL_PIECES.join("")]);
    expect(smallSentAtFirstDelta).toBe(SMALL_PIECES.length);
  });

  it("early asks the judged rung's worker for live messages; buffered lets it fill them", async () => {
    const early = ports(0.9);
    await run(early, { streamingPolicy: StreamingPolicy.EARLY });
    expect(early.calls.generate[0]?.req.fillMessages).toBe(false);
    const buffered = ports(0.9);
    await run(buffered);
    expect(buffered.calls.generate[0]?.req.fillMessages).toBe(true);
  });
});

describe("per-request targets", () => {
  it("go to the router in the PlanRequest, and its note comes back in CascadeInfo", async () => {
    const p = ports(0.9);
    const plan = p.plan.bind(p);
    p.plan = async (req, signal) => Object.assign(await plan(req, signal), { targetsNote: "kept within max cost" });
    const { response } = await run(p, { minQuality: 0.8, maxCostUsd: 0.002 });
    expect(p.calls.plan[0]).toMatchObject({ minQuality: 0.8, maxCostUsd: 0.002 });
    expect(response.cascade?.targetsNote).toBe("kept within max cost");
  });

  it("are left out of the PlanRequest when the request sets none", async () => {
    const p = ports(0.9);
    await run(p);
    expect(p.calls.plan[0]).not.toHaveProperty("minQuality");
    expect(p.calls.plan[0]).not.toHaveProperty("maxCostUsd");
  });

  it.each([
    [{ minQuality: 1.5 }, "min_quality"],
    [{ minQuality: -0.1 }, "min_quality"],
    [{ minQuality: Number.NaN }, "min_quality"],
    [{ maxCostUsd: 0 }, "max_cost_usd"],
    [{ maxCostUsd: -1 }, "max_cost_usd"],
    [{ streamingPolicy: 7 as StreamingPolicy }, "streaming_policy"],
  ])("reject %o as INVALID_ARGUMENT naming %s, before planning", async (init, field) => {
    const p = ports(0.9);
    const err = await run(p, init).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect((err as WeirError).field).toBe(field);
    expect(p.calls.plan).toHaveLength(0);
  });
});
