import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectChatStream } from "./openai-stream.js";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// One tier of two slow placeholder workers, each running one generation at a
// time and queueing at most two more (worker.maxWaiting, set through the
// environment override every service reads): the tier holds six requests at
// once. Sixteen arrive together.
const MAX_WAITING = 2;
const WORKERS = 2;
const CONCURRENT = 16;
const MAX_TOKENS = 12;

let fx: StackFixture;
const savedMaxWaiting = process.env.WEIR__worker__maxWaiting;

beforeAll(async () => {
  process.env.WEIR__worker__maxWaiting = String(MAX_WAITING);
  fx = await startStackFixture({
    tiers: [{ name: "small", replicas: WORKERS, tokenDelayMs: 25, qeThreshold: 0, engineOptions: { maxConcurrency: 1 } }],
  });
});

afterAll(async () => {
  if (savedMaxWaiting === undefined) delete process.env.WEIR__worker__maxWaiting;
  else process.env.WEIR__worker__maxWaiting = savedMaxWaiting;
  await fx?.stop();
});

type Outcome =
  | { kind: "completed"; text: string; completionTokens: number | undefined; finish: string | null | undefined }
  | { kind: "refused"; status: number; retryAfter: string | null; code: unknown; message: string };

async function ask(openai: OpenAI, i: number): Promise<Outcome> {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: `Question ${i}: tell me a long story.` }];
  try {
    if (i % 2 === 0) {
      const res = await openai.chat.completions.create({ model: "small", messages, max_tokens: MAX_TOKENS });
      const choice = res.choices[0];
      return { kind: "completed", text: choice?.message.content ?? "", completionTokens: res.usage?.completion_tokens, finish: choice?.finish_reason };
    }
    let finish: string | null | undefined;
    const stream = await openai.chat.completions.create({
      model: "small",
      messages,
      max_tokens: MAX_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    });
    const tee = (async function* () {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
        yield chunk;
      }
    })();
    const collected = await collectChatStream(tee);
    return { kind: "completed", text: collected.text, completionTokens: collected.usage?.completion_tokens, finish };
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) {
      return { kind: "refused", status: err.status, retryAfter: err.headers?.get("retry-after") ?? null, code: err.code, message: err.message };
    }
    throw err;
  }
}

describe("admission control", () => {
  it("a full tier answers 429 with Retry-After, and every request it accepted completes in full", async () => {
    const openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0, timeout: 20_000 });
    const outcomes = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => ask(openai, i)));

    const completed = outcomes.filter((o) => o.kind === "completed");
    const refused = outcomes.filter((o) => o.kind === "refused");
    // Nothing else happened: no 5xx, no timeout, no hang (Promise.all returned).
    expect(completed.length + refused.length).toBe(CONCURRENT);
    // The tier could not take them all, and it did take what it could hold.
    expect(refused.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThanOrEqual(WORKERS);

    for (const o of refused) {
      expect(o.status).toBe(429);
      expect(o.code).toBe("resource_exhausted");
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(o.message).toMatch(/is full/);
    }
    // Accepted means answered to the end: max_tokens tokens, cut only by max_tokens.
    for (const o of completed) {
      expect(o.finish).toBe("length");
      expect(o.completionTokens).toBe(MAX_TOKENS);
      expect(o.text.trim().split(/\s+/).length).toBeGreaterThanOrEqual(MAX_TOKENS / 2);
    }
    // Where the refusals came from (for the notes' figures): the scheduler,
    // from the queues the heartbeats report, or a worker, from its own count.
    const byScheduler = await metricSum("scheduler", /^weir_scheduler_placements_total\{.*outcome="full"/);
    const byWorkers = (await metricSum("worker:small-1", /^weir_worker_requests_refused_total/)) +
      (await metricSum("worker:small-2", /^weir_worker_requests_refused_total/));
    console.info(
      `admission e2e: ${completed.length} completed, ${refused.length} refused with 429 of ${CONCURRENT} concurrent; ` +
        `refusals: scheduler ${byScheduler}, workers ${byWorkers}`,
    );

    // Once the queues drain, the tier takes requests again.
    const again = await ask(openai, 100);
    expect(again.kind).toBe("completed");
  });
});

/** The sum of the samples of one service's /metrics whose line matches. */
async function metricSum(label: string, line: RegExp): Promise<number> {
  const port = fx.stack.process(label)?.info.opsPort;
  if (port === undefined) throw new Error(`no ${label} in the stack`);
  const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => line.test(l))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
}
