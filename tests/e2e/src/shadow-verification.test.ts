import { type Bus, connectBus, openQeThresholds } from "@weir/bus";
import { type LabelledRow, loadGsm8k } from "@weir/datasets";
import { answersAgree } from "@weir/routing";
import type { CollectedSpan } from "@weir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GPT4, MIXTRAL, gsm8kReplayTiers } from "./gsm8k-replay-tiers.js";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// L4 shadow verification through the running stack
// (docs/notes/shadow-signals.md). Every accepted answer is shadowed
// (judge.shadow.fraction 1), and a threshold may move after 3 samples by at
// most 0.05.
//
// Disagreement is made deterministic by replay: the small tier replays
// Mixtral-8x7B's recorded GSM8K answers and the large tier GPT-4's, and the
// questions are the ones where Mixtral was wrong, GPT-4 right, and the
// judge's own agreement rule (answersAgree) says the two answers disagree.
// The placeholder judge scores every answer 0.9, above small's threshold
// (0.7, and 0.75 after one step): every request is accepted at the first
// rung, so every one is shadowed on large. Three disagreeing samples make an
// agreement rate of 0, below targetQuality 0.9, so small's threshold must
// rise by exactly maxStep: 0.7 → 0.75.
const MIN_SAMPLES = 3;
const MAX_STEP = 0.05;
const KEY = "small.all"; // tier small, no routing model (the static ladder): cluster "all"

type Gsm8kRow = LabelledRow;
interface Completion {
  choices: { message: { content: string } }[];
  weir: { tier: string; escalated: boolean; path: { tier: string; qe_threshold: number }[] };
}

let fx: StackFixture;
let bus: Bus;
let disagreeing: Gsm8kRow[];

beforeAll(async () => {
  disagreeing = loadGsm8k()
    .rows.filter((r) => !r.correct[MIXTRAL] && r.correct[GPT4] && !answersAgree(r.response[MIXTRAL] ?? "", r.response[GPT4] ?? "").agree)
    .slice(0, MIN_SAMPLES + 1);
  fx = await startStackFixture({
    placeholderScore: 0.9,
    tiers: gsm8kReplayTiers(),
    env: {
      WEIR__judge__shadow__fraction: "1",
      WEIR__judge__shadow__minSamples: String(MIN_SAMPLES),
      WEIR__judge__shadow__maxStep: String(MAX_STEP),
      WEIR__judge__shadow__maxInFlight: "4",
      // Shadows are best-effort placements, leased for scheduler.warmupLeaseMs (2 s) against
      // maxWarmupsInFlight (2): sequential requests would see a later shadow refused as "load".
      WEIR__scheduler__maxWarmupsInFlight: "16",
    },
  });
  bus = await connectBus({ name: "shadow-test", url: fx.nats.url });
});

afterAll(async () => {
  await bus?.close();
  await fx?.stop();
});

const randomTraceId = (): string =>
  Array.from({ length: 32 }, (_, i) => (i === 0 ? "1" : Math.floor(Math.random() * 16).toString(16))).join("");

async function ask(prompt: string, traceId: string): Promise<Completion> {
  const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    body: JSON.stringify({ model: "weir-auto", messages: [{ role: "user", content: prompt }] }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Completion;
}

/** The threshold the judge wrote to weir_qe_thresholds under `key`. */
async function storedThreshold(key: string): Promise<number | undefined> {
  return (await openQeThresholds(bus)).get(key);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} never happened`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The gateway's root span of a client request: the server span of the HTTP call, which ends when the response is sent. */
const rootOf = (spans: CollectedSpan[], traceId: string): CollectedSpan | undefined =>
  spans.find((s) => s.traceId === traceId && s.serviceName.includes("gateway") && s.kind === "SERVER");

/**
 * Spans of the shadow, which runs in the client request's trace: its RecordShadow
 * call, and any work on the large tier (the client's path is small only).
 */
const isShadowSpan = (s: CollectedSpan): boolean => s.name === "weir.qe.recordShadow" || s.attributes["weir.tier"] === "large";
const shadowRecorded = (spans: CollectedSpan[], traceId: string): boolean =>
  spans.some((s) => s.traceId === traceId && s.name === "weir.qe.recordShadow" && s.serviceName.includes("gateway"));

describe("L4 shadow verification through the stack", () => {
  it("shadows only after the client has its answer, and recorded disagreement moves the threshold the router then plans with", async () => {
    expect(disagreeing.length).toBe(MIN_SAMPLES + 1);
    expect(await storedThreshold(KEY)).toBeUndefined();

    const traces: string[] = [];
    for (const row of disagreeing.slice(0, MIN_SAMPLES)) {
      const traceId = randomTraceId();
      traces.push(traceId);
      const body = await ask(row.prompt, traceId);
      // Accepted at the first rung with the plan's own threshold, and the client got small's (Mixtral's) answer.
      expect(body.weir.path.map((s) => s.tier)).toEqual(["small"]);
      expect(body.weir.path[0]!.qe_threshold).toBeCloseTo(0.7);
      expect(body.choices[0]!.message.content).toBe(row.response[MIXTRAL]);
      // One shadow at a time, so that every sample reaches the judge (none is dropped as load).
      await fx.otlp.waitForSpans((all) => shadowRecorded(all, traceId), 10_000);
    }

    // The window of MIN_SAMPLES disagreements is full: the judge wrote small's new threshold, one step up.
    const moved = await waitFor("the threshold move", () => storedThreshold(KEY));
    expect(moved).toBeCloseTo(0.7 + MAX_STEP, 4);

    // Ordering, not timing: in every trace the shadow's spans start after the client's root span ended.
    const spans = await fx.otlp.waitForSpans(
      // Every service exports its spans in its own batches: wait until each trace has the
      // shadow's four spans (scheduler place and worker generation on large, RecordShadow sent and served).
      (all) => traces.every((t) => rootOf(all, t) !== undefined && all.filter((s) => s.traceId === t && isShadowSpan(s)).length >= 4),
      10_000,
    );
    for (const t of traces) {
      const root = rootOf(spans, t)!;
      const shadow = spans.filter((s) => s.traceId === t && isShadowSpan(s));
      expect(shadow.map((s) => s.name)).toContain("weir.scheduler.place"); // placed on large, then generated and recorded
      expect(new Set(shadow.map((s) => s.serviceName))).toEqual(new Set(["scheduler", "model-worker", "gateway", "qe-judge"]));
      for (const s of shadow) expect(s.startTimeUnixNano).toBeGreaterThanOrEqual(root.endTimeUnixNano);
    }

    // The router watches the bucket: a later plan carries the moved threshold for small.
    const next = disagreeing[MIN_SAMPLES]!;
    const planned = await waitFor("a plan with the recalibrated threshold", async () => {
      const body = await ask(next.prompt, randomTraceId());
      const t = body.weir.path[0]!.qe_threshold;
      return Math.abs(t - moved) < 1e-9 ? body : undefined;
    });
    expect(planned.weir.path.map((s) => s.tier)).toEqual(["small"]);
  });
});
