import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// The placeholder judge is told to score every answer 0.1, below the small
// tier's threshold (0.7): every weir-auto request escalates to the large tier.
let fx: StackFixture;
let openai: OpenAI;

beforeAll(async () => {
  fx = await startStackFixture({ placeholderScore: 0.1 });
  openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
});

afterAll(async () => {
  await fx?.stop();
});

const messages = [{ role: "user" as const, content: "Prove that there are infinitely many primes." }];

interface WeirMeta {
  tier: string;
  escalated: boolean;
  path: { tier: string; qe_score?: number | null; accepted: boolean }[];
}

describe("escalation", () => {
  it("a rejected small answer escalates; the large tier answers; the path is in the metadata", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "weir-auto", messages, max_tokens: 48 })
      .withResponse();
    expect(response.headers.get("x-weir-tier")).toBe("large");
    expect(response.headers.get("x-weir-path")).toBe("small,large");
    expect(response.headers.get("x-weir-escalated")).toBe("true");
    const weir = (data as unknown as { weir: WeirMeta }).weir;
    expect(weir.escalated).toBe(true);
    expect(weir.path.map((s) => s.tier)).toEqual(["small", "large"]);
    expect(weir.path[0]?.accepted).toBe(false);
    expect(weir.path[0]?.qe_score).toBeCloseTo(0.1);
    expect(weir.path[1]?.accepted).toBe(true);
  });

  it("the escalation is visible in the trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736".replace(/^./, String(Math.floor(Math.random() * 9) + 1));
    const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ model: "weir-auto", messages, max_tokens: 16 }),
    });
    expect(res.status).toBe(200);
    // Each process exports on its own schedule: wait until every part is in.
    const spans = await fx.otlp.waitForSpans((all) => {
      const mine = all.filter((s) => s.traceId === traceId);
      return (
        mine.filter((s) => s.serviceName === "model-worker").length >= 2 &&
        mine.filter((s) => s.name === "weir.cascade.step").length >= 2 &&
        mine.some((s) => s.serviceName === "qe-judge")
      );
    }, 10_000);
    const mine = spans.filter((s) => s.traceId === traceId);
    const steps = mine.filter((s) => s.name === "weir.cascade.step");
    expect(steps.map((s) => s.attributes["weir.tier"])).toEqual(["small", "large"]);
    expect(steps[0]?.attributes["weir.qe.accepted"]).toBe(false);
    const workers = mine.filter((s) => s.serviceName === "model-worker").map((s) => s.attributes["weir.tier"]);
    expect(workers.sort()).toEqual(["large", "small"]);
    expect(mine.some((s) => s.serviceName === "qe-judge")).toBe(true);
  });
});

describe("NATS outage", () => {
  it("fails fast with 503 while NATS is down and serves again once it is back", async () => {
    await fx.nats.stop();
    const started = Date.now();
    const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "weir-auto", messages }),
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(Date.now() - started).toBeLessThan(2_000);

    await fx.nats.restart();
    // The services reconnect on their own; the workers' next heartbeats
    // re-register them with the scheduler.
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      const again = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "weir-auto", messages, max_tokens: 8 }),
      });
      status = again.status;
      await again.arrayBuffer();
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
