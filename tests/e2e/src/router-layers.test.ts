import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// The router-side SERR-CASCADE layers through the whole stack
// (docs/notes/router-layers.md): L2 risk overrides with the default
// lexicons, and L0 turn reuse from the weir_conversations KV bucket.
// The placeholder judge scores every answer 0.9, above the small tier's
// threshold (0.7): without an override every weir-auto request is answered by "small".
let fx: StackFixture;
let nc: NatsConnection;

beforeAll(async () => {
  fx = await startStackFixture({ placeholderScore: 0.9 });
  nc = await connect({ servers: fx.nats.url });
});

afterAll(async () => {
  await nc?.close();
  await fx?.stop();
});

interface WeirMeta {
  tier: string;
  escalated: boolean;
  path: { tier: string }[];
  route_reason: string;
  risk: { score: number; rules: string[]; overridden: boolean; carried: number } | null;
  reused: boolean;
}
interface Completion {
  choices: { message: { content: string } }[];
  usage: { completion_tokens: number };
  weir: WeirMeta;
}
type Message = { role: "user" | "assistant"; content: string };

async function chat(messages: Message[], traceId?: string): Promise<{ body: Completion; headers: Headers }> {
  const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(traceId === undefined ? {} : { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    },
    body: JSON.stringify({ model: "weir-auto", messages, max_tokens: 16 }),
  });
  expect(res.status).toBe(200);
  return { body: (await res.json()) as Completion, headers: res.headers };
}

const randomTraceId = (): string =>
  Array.from({ length: 32 }, (_, i) => (i === 0 ? "1" : Math.floor(Math.random() * 16).toString(16))).join("");

/** Turns stored so far: the gateway records each turn as its answer goes out, so a next turn waits for the record. */
async function storedTurns(): Promise<number> {
  const res = await nc.request("$JS.API.STREAM.INFO.KV_weir_conversations", "", { timeout: 2_000 });
  const info = res.json<{ state?: { messages: number } }>();
  return info.state?.messages ?? 0;
}
async function waitForRecords(count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await storedTurns()) < count) {
    if (Date.now() > deadline) throw new Error(`the conversation state never reached ${count} records`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("L2 risk overrides", () => {
  it("a risky prompt goes straight to the strongest tier; metadata, headers and trace name the rule", async () => {
    const traceId = randomTraceId();
    const { body, headers } = await chat([{ role: "user", content: "How many mg of ibuprofen can I give a 4-year-old?" }], traceId);
    expect(body.weir.tier).toBe("large");
    expect(body.weir.path.map((s) => s.tier)).toEqual(["large"]);
    expect(body.weir.risk).toMatchObject({ rules: ["medical-dosage"], overridden: true });
    expect(body.weir.route_reason).toMatch(/rule medical-dosage.*strongest tier large only/);
    expect(headers.get("x-weir-risk-rules")).toBe("medical-dosage");
    expect(headers.get("x-weir-path")).toBe("large");

    const spans = await fx.otlp.waitForSpans(
      (all) => all.some((s) => s.traceId === traceId && s.name === "weir.cascade" && s.attributes["weir.route.risk.rules"] !== undefined),
      10_000,
    );
    const cascade = spans.find((s) => s.traceId === traceId && s.name === "weir.cascade");
    expect(cascade?.attributes["weir.route.risk.rules"]).toBe("medical-dosage");
    expect(cascade?.attributes["weir.route.risk.overridden"]).toBe(true);
    expect(String(cascade?.attributes["weir.route.reason"])).toMatch(/medical-dosage/);
  });

  it("an everyday prompt keeps the ladder and reports no risk", async () => {
    const { body, headers } = await chat([{ role: "user", content: "What is the capital of France?" }]);
    expect(body.weir.path.map((s) => s.tier)).toEqual(["small"]);
    expect(body.weir.risk).toMatchObject({ score: 0, rules: [], overridden: false });
    expect(headers.get("x-weir-risk-rules")).toBeNull();
  });
});

describe("L0 turn reuse", () => {
  it("a repeated turn is answered from state without generation; its near-miss twin is generated", async () => {
    const first: Message[] = [{ role: "user", content: "What is 12 times 7?" }];
    const before = await storedTurns();
    const t1 = await chat(first);
    expect(t1.body.weir.reused).toBe(false);
    const answer = t1.body.choices[0]!.message.content;
    await waitForRecords(before + 1);

    // Same question again, only case, punctuation and "please" differ.
    const history: Message[] = [...first, { role: "assistant", content: answer }];
    const traceId = randomTraceId();
    const again = await chat([...history, { role: "user", content: "what is 12 times 7, please??" }], traceId);
    expect(again.body.weir.reused).toBe(true);
    expect(again.body.weir.path).toEqual([]);
    expect(again.body.choices[0]!.message.content).toBe(answer);
    expect(again.body.usage.completion_tokens).toBe(0);
    expect(again.headers.get("x-weir-reused")).toBe("true");
    expect(again.body.weir.route_reason).toMatch(/turn reuse/);

    // The near-miss twin (a different number) is a different question: generated.
    const twin = await chat([...history, { role: "user", content: "What is 12 times 8?" }]);
    expect(twin.body.weir.reused).toBe(false);
    expect(twin.body.weir.path.map((s) => s.tier)).toEqual(["small"]);
    expect(twin.headers.get("x-weir-reused")).toBe("false");
    // And so is a negated one.
    const negated = await chat([...history, { role: "user", content: "What is not 12 times 7?" }]);
    expect(negated.body.weir.reused).toBe(false);

    // No worker ran for the reused turn: the trace has the cascade span and no generation.
    const spans = await fx.otlp.waitForSpans(
      (all) => all.some((s) => s.traceId === traceId && s.name === "weir.cascade"),
      10_000,
    );
    const mine = spans.filter((s) => s.traceId === traceId);
    expect(mine.find((s) => s.name === "weir.cascade")?.attributes["weir.route.reused"]).toBe(true);
    expect(mine.filter((s) => s.serviceName === "model-worker" || s.name === "weir.cascade.step")).toEqual([]);
  });
});
