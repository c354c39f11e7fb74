import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { GenerationInputSchema, type GenerateResponse } from "@weir/proto";
import { installTestTracing } from "@weir/testkit/tracing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  COALESCED_TOKENS_PER_MESSAGE,
  STREAMING_TOKENS_PER_MESSAGE,
  createCascade,
  type CascadeEvent,
  type CascadeOptions,
} from "./cascade.js";
import type { CascadePorts } from "./ports.js";
import { fakePorts, type FakeOptions } from "./test-support/fake-ports.js";

const tracing = installTestTracing();
beforeEach(() => tracing.reset());

const TIERS: CascadeOptions["tiers"] = [
  { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
  { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
];

function fakes(overrides: Partial<FakeOptions> = {}): ReturnType<typeof fakePorts> {
  return fakePorts({
    tiers: {
      small: { instances: ["s1", "s2"], pieces: ["cheap ", "answer"], score: 0.9 },
      large: { instances: ["l1", "l2"], pieces: ["strong ", "answer ", "here"] },
    },
    ladder: [
      ["small", 0.5],
      ["large", 0],
    ],
    ...overrides,
  });
}

function input(init: MessageInitShape<typeof GenerationInputSchema> = {}) {
  return create(GenerationInputSchema, {
    model: "weir-auto",
    messages: [{ role: "user", content: "What is a cascade?" }],
    ...init,
  });
}

async function runToEnd(
  ports: CascadePorts,
  init?: MessageInitShape<typeof GenerationInputSchema>,
  opts: Partial<CascadeOptions> = {},
): Promise<{ deltas: Extract<CascadeEvent, { type: "delta" }>[]; response: GenerateResponse }> {
  const cascade = createCascade(ports, { tiers: TIERS, ...opts });
  const deltas: Extract<CascadeEvent, { type: "delta" }>[] = [];
  let response: GenerateResponse | undefined;
  for await (const ev of cascade.run(input(init), { signal: new AbortController().signal, requestId: "req-1" })) {
    if (ev.type === "delta") deltas.push(ev);
    else response = ev.response;
  }
  if (response === undefined) throw new Error("no done event");
  return { deltas, response };
}

async function runError(
  ports: CascadePorts,
  init?: MessageInitShape<typeof GenerationInputSchema>,
  opts: Partial<CascadeOptions> = {},
): Promise<WeirError> {
  try {
    await runToEnd(ports, init, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(WeirError);
    return err as WeirError;
  }
  throw new Error("the run did not fail");
}

describe("createCascade", () => {
  it("accepts the first rung when the judge does, and releases its text after the verdict", async () => {
    const ports = fakes();
    const { deltas, response } = await runToEnd(ports);

    expect(deltas).toEqual([{ type: "delta", text: "cheap answer", tier: "small" }]);
    expect(response.text).toBe("cheap answer");
    expect(response.model).toBe("weir-auto");
    expect(response.id).toBe("req-1");
    expect(response.finishReason).toBe("stop");
    expect(response.cascade?.tier).toBe("small");
    expect(response.cascade?.escalated).toBe(false);
    expect(response.cascade?.qeScore).toBe(0.9);
    expect(response.cascade?.routeReason).toBe("fake ladder");
    expect(response.cascade?.path.map((s) => [s.tier, s.instanceId, s.accepted, s.qeScore, s.qeThreshold])).toEqual([
      ["small", "s1", true, 0.9, 0.5],
    ]);
    expect(ports.calls.generate.map((g) => g.instanceId)).toEqual(["s1"]);
    expect(ports.calls.score).toHaveLength(1);
    expect(ports.calls.score[0]).toMatchObject({
      requestId: "req-1",
      tier: "small",
      prompt: "user: What is a cascade?",
      response: "cheap answer",
      threshold: 0.5,
      completionTokens: 2,
      finishReason: "stop",
    });
    expect(ports.calls.plan[0]).toMatchObject({ requestId: "req-1", model: "weir-auto", promptTokens: 7 });
  });

  it("escalates a rejected answer, and never lets its text reach a delta", async () => {
    const ports = fakes({
      tiers: {
        small: { instances: ["s1"], pieces: ["SECRET ", "wrong"], score: 0.2 },
        large: { instances: ["l1"], pieces: ["strong ", "answer ", "here"], usage: { promptTokens: 12, completionTokens: 3 } },
      },
    });
    const { deltas, response } = await runToEnd(ports);

    // The last rung streams through piece by piece.
    expect(deltas.map((d) => d.text)).toEqual(["strong ", "answer ", "here"]);
    expect(deltas.every((d) => d.tier === "large")).toBe(true);
    expect(deltas.some((d) => d.text.includes("SECRET") || d.text.includes("wrong"))).toBe(false);
    expect(response.text).toBe("strong answer here");
    expect(response.cascade?.tier).toBe("large");
    expect(response.cascade?.escalated).toBe(true);
    expect(response.cascade?.qeScore).toBeUndefined();
    const path = response.cascade?.path ?? [];
    expect(path.map((s) => [s.tier, s.accepted])).toEqual([
      ["small", false],
      ["large", true],
    ]);
    expect(path[0]?.qeScore).toBe(0.2);
    expect(path[1]?.qeScore).toBeUndefined();
    // Usage is the accepted answer's.
    expect(response.usage).toMatchObject({ promptTokens: 12, completionTokens: 3, totalTokens: 15 });
    // The final rung is not judged.
    expect(ports.calls.score.map((s) => s.tier)).toEqual(["small"]);
  });

  it("passes a tier name through to the plan and runs its single rung unjudged", async () => {
    const ports = fakes();
    const { deltas, response } = await runToEnd(ports, { model: "large" });

    expect(ports.calls.plan[0]?.model).toBe("large");
    expect(ports.calls.score).toHaveLength(0);
    expect(deltas.map((d) => d.text).join("")).toBe("strong answer here");
    expect(response.model).toBe("large");
    expect(response.cascade?.path.map((s) => s.tier)).toEqual(["large"]);
    expect(response.cascade?.qeScore).toBeUndefined();
    expect(response.cascade?.escalated).toBe(false);
  });

  it("asks workers for up to 16 tokens per message on a streamed final rung, 256 where nobody reads token by token", async () => {
    const perMessage = async (stream: boolean): Promise<unknown[]> => {
      const ports = fakes({
        tiers: {
          small: { instances: ["s1"], pieces: ["no"], score: 0.1 },
          large: { instances: ["l1"], pieces: ["yes"] },
        },
      });
      const cascade = createCascade(ports, { tiers: TIERS });
      for await (const _ of cascade.run(input({ maxTokens: 64 }), { signal: new AbortController().signal, requestId: "r", stream })) {
        // Drained for the worker requests it makes.
      }
      expect(ports.calls.generate.map((g) => g.req)).toEqual([
        expect.objectContaining({ requestId: "r", tier: "small", maxTokens: 64 }),
        expect.objectContaining({ requestId: "r", tier: "large", maxTokens: 64 }),
      ]);
      return ports.calls.generate.map((g) => [g.req.maxTokensPerMessage, g.req.fillMessages]);
    };
    // The judged rung's text waits for the verdict: coalesced. The final rung streams
    // with STREAMING_TOKENS_PER_MESSAGE (one per message while the client keeps up).
    expect(await perMessage(true)).toEqual([
      [COALESCED_TOKENS_PER_MESSAGE, true],
      [STREAMING_TOKENS_PER_MESSAGE, false],
    ]);
    expect(STREAMING_TOKENS_PER_MESSAGE).toBe(16);
    expect(COALESCED_TOKENS_PER_MESSAGE).toBe(256);
    // A non-streaming client reads nothing before the end.
    expect(await perMessage(false)).toEqual([
      [COALESCED_TOKENS_PER_MESSAGE, true],
      [COALESCED_TOKENS_PER_MESSAGE, true],
    ]);
  });

  it("places again elsewhere when a worker fails before its first token", async () => {
    const ports = fakes({ behaviour: { s1: "fail-before-first" } });
    const { response } = await runToEnd(ports);

    expect(ports.calls.place.map((p) => p.excludeInstanceIds)).toEqual([[], ["s1"]]);
    expect(ports.calls.generate.map((g) => g.instanceId)).toEqual(["s1", "s2"]);
    expect(response.cascade?.path[0]?.instanceId).toBe("s2");
    expect(response.text).toBe("cheap answer");
  });

  it("gives up after maxPlacementAttempts placements", async () => {
    const ports = fakes({ behaviour: { s1: "fail-before-first", s2: "fail-before-first" } });
    const err = await runError(ports, {}, { maxPlacementAttempts: 2 });

    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toContain("s2");
    expect(ports.calls.place).toHaveLength(2);
  });

  it("does not re-place a request the worker rejects as invalid", async () => {
    const ports = fakes({ behaviour: { s1: { failBeforeFirst: WeirError.invalidArgument("prompt too long", "messages") } } });
    const err = await runError(ports);

    expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(ports.calls.place).toHaveLength(1);
  });

  it("propagates a worker failure after the first token, without placing again", async () => {
    const ports = fakes({ behaviour: { l1: "fail-after-first" } });
    const cascade = createCascade(ports, { tiers: TIERS });
    const deltas: string[] = [];
    let caught: unknown;
    try {
      for await (const ev of cascade.run(input({ model: "large" }), { signal: new AbortController().signal, requestId: "r" })) {
        if (ev.type === "delta") deltas.push(ev.text);
      }
    } catch (err) {
      caught = err;
    }
    expect(deltas).toEqual(["strong "]);
    expect(caught).toBeInstanceOf(WeirError);
    expect((caught as WeirError).code).toBe(ErrorCode.UNAVAILABLE);
    expect(ports.calls.place).toHaveLength(1);
  });

  it("stops the worker stream when the client aborts", async () => {
    const ports = fakes({ behaviour: { l1: "stall-after-first" } });
    const cascade = createCascade(ports, { tiers: TIERS });
    const client = new AbortController();
    const run = cascade.run(input({ model: "large" }), { signal: client.signal, requestId: "r" });

    const first = await run.next();
    expect(first.value).toMatchObject({ type: "delta", text: "strong " });
    const pending = run.next();
    client.abort();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    expect(ports.calls.closed).toEqual(["l1"]);
    expect(ports.calls.signals.every((s) => s.aborted)).toBe(true);
  });

  it("stops the worker stream when the consumer stops reading", async () => {
    const ports = fakes();
    const cascade = createCascade(ports, { tiers: TIERS });
    const run = cascade.run(input({ model: "large" }), { signal: new AbortController().signal, requestId: "r" });

    await run.next();
    expect(ports.calls.closed).toEqual([]);
    await run.return();
    expect(ports.calls.closed).toEqual(["l1"]);
    expect(tracing.finishedSpans().map((s) => s.name)).toContain("weir.cascade");
    expect(tracing.openSpanNames().filter((name) => name.startsWith("weir.cascade"))).toEqual([]);
  });

  it("ends with DEADLINE_EXCEEDED when the request timeout passes", async () => {
    const ports = fakes({ behaviour: { l1: "stall-after-first" } });
    const err = await runError(ports, { model: "large" }, { requestTimeoutMs: 20 });

    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(ports.calls.closed).toEqual(["l1"]);
  });

  it("prices each step from its tokens and sums the cost over the path", async () => {
    const ports = fakes({
      tiers: {
        small: { instances: ["s1"], pieces: ["no"], score: 0.1, usage: { promptTokens: 1000, completionTokens: 500 } },
        large: { instances: ["l1"], pieces: ["yes"], usage: { promptTokens: 1000, completionTokens: 200 } },
      },
    });
    const { response } = await runToEnd(ports);

    const [small, large] = response.cascade?.path ?? [];
    // 1000 × 0.1/1e6 + 500 × 0.2/1e6
    expect(small?.costUsd).toBeCloseTo(0.0002, 12);
    // 1000 × 1/1e6 + 200 × 2/1e6
    expect(large?.costUsd).toBeCloseTo(0.0014, 12);
    expect(response.cascade?.costUsd).toBeCloseTo(0.0016, 12);
    expect(small).toMatchObject({ promptTokens: 1000, completionTokens: 500 });
  });

  it("rejects an unknown model with NOT_FOUND naming it and the valid ones", async () => {
    const ports = fakes();
    const err = await runError(ports, { model: "gpt-9" });

    expect(err.code).toBe(ErrorCode.NOT_FOUND);
    expect(err.field).toBe("model");
    expect(err.message).toContain('"gpt-9"');
    expect(err.message).toContain('"weir-auto", "small", "large"');
    expect(ports.calls.plan).toHaveLength(0);
  });

  it.each([
    [{ messages: [] }, "messages"],
    [{ messages: [], prompt: "" }, "messages"],
    [{ prompt: "also a prompt" }, "prompt"],
    [{ maxTokens: 0 }, "max_tokens"],
    [{ temperature: 3 }, "temperature"],
    [{ stop: ["a", "b", "c", "d", "e"] }, "stop"],
    [{ messages: [{ role: "wizard", content: "hi" }] }, "messages[0].role"],
    [{ model: "" }, "model"],
  ] as const)("rejects invalid input %j with INVALID_ARGUMENT on %s", async (init, field) => {
    const err = await runError(fakes(), init as MessageInitShape<typeof GenerationInputSchema>);
    expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err.field).toBe(field);
  });

  it("accepts a completion prompt", async () => {
    const ports = fakes();
    const { response } = await runToEnd(ports, { messages: [], prompt: "Once upon a time" });
    expect(response.text).toBe("cheap answer");
    expect(ports.calls.score[0]?.prompt).toBe("Once upon a time");
    expect(ports.calls.generate[0]?.req).toMatchObject({ prompt: "Once upon a time", messages: [] });
  });

  it("passes port WeirErrors through and wraps anything else as INTERNAL", async () => {
    const unavailable = WeirError.unavailable("no scheduler is running");
    expect(await runError(fakes({ placeError: unavailable }))).toBe(unavailable);
    const wrapped = await runError(fakes({ planError: new TypeError("boom") }));
    expect(wrapped.code).toBe(ErrorCode.INTERNAL);
    expect(wrapped.message).toContain("boom");
  });

  it("traces the run and each rung, with port calls inside the step span", async () => {
    const ports = fakes({ tiers: { small: { instances: ["s1"], pieces: ["x"], score: 0.2 }, large: { instances: ["l1"], pieces: ["y"] } } });
    await runToEnd(ports);

    const spans = tracing.finishedSpans();
    const root = spans.find((s) => s.name === "weir.cascade");
    const steps = spans.filter((s) => s.name === "weir.cascade.step");
    expect(root).toBeDefined();
    expect(root?.attributes).toMatchObject({
      "weir.tier": "large",
      "weir.cascade.escalated": true,
      "weir.route.reason": "fake ladder",
      "weir.request_id": "req-1",
    });
    expect(steps).toHaveLength(2);
    expect(steps.every((s) => s.parentSpanId === root?.spanId)).toBe(true);
    expect(steps[0]?.attributes).toMatchObject({
      "weir.tier": "small",
      "weir.instance_id": "s1",
      "weir.qe.score": 0.2,
      "weir.qe.threshold": 0.5,
      "weir.qe.accepted": false,
      "weir.cascade.escalated": true,
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 1,
    });
    expect(steps[0]?.attributes["weir.cost_usd"]).toBeCloseTo((10 * 0.1 + 1 * 0.2) / 1e6, 15);
    expect(steps[1]?.attributes).toMatchObject({ "weir.tier": "large", "weir.qe.accepted": true });
    expect(steps[1]?.attributes["weir.qe.score"]).toBeUndefined();

    const stepIds = steps.map((s) => s.spanId);
    const byPort = (port: string) => ports.calls.activeSpans.filter((a) => a.port === port).map((a) => a.spanId);
    expect(byPort("plan")).toEqual([root?.spanId]);
    expect(byPort("place")).toEqual(stepIds);
    expect(byPort("generate")).toEqual(stepIds);
    expect(byPort("score")).toEqual([stepIds[0]]);
  });

  it("records a failure on the spans", async () => {
    await runError(fakes({ placeError: WeirError.unavailable("no scheduler is running") }));
    const root = tracing.finishedSpans().find((s) => s.name === "weir.cascade");
    expect(root?.status.code).toBe(2);
    expect(root?.attributes["error.type"]).toBe("UNAVAILABLE");
    expect(root?.events.filter((e) => e.name === "exception")).toHaveLength(1);
  });
});
