import { createClient } from "@weir/grpc";
import { ErrorCode, WeirError } from "@weir/errors";
import { InferenceService, StreamingPolicy } from "@weir/proto";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectChatStream } from "./openai-stream.js";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// judge.placeholderScore 0.1 is below small's threshold (0.7): every judged
// small answer is rejected, so every weir-auto request escalates unless a
// per-request target keeps it off the large tier. Prices (stack-fixture):
// small $0.2/$0.4, large $0.4/$0.8 per million tokens; at ~20 prompt tokens
// and 256 expected output tokens small costs ~$0.00011 and large ~$0.00021.
let fx: StackFixture;
let openai: OpenAI;

beforeAll(async () => {
  fx = await startStackFixture({ placeholderScore: 0.1 });
  openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
});

afterAll(async () => {
  await fx?.stop();
});

const messages = [{ role: "user" as const, content: "Explain how a weir controls the level of a river, step by step." }];

interface WeirMeta {
  tier: string;
  escalated: boolean;
  path: { tier: string; accepted: boolean }[];
  targets_note: string;
  streaming_policy: string;
}

/** The large tier's own answer to `messages`: what an escalated stream must show, and nothing more. */
async function largeAnswer(): Promise<string> {
  const data = await openai.chat.completions.create({ model: "large", messages, max_tokens: 64 });
  return data.choices[0]?.message.content ?? "";
}

describe("per-request targets change the plan", () => {
  it("a max cost that rules out the large tier keeps the request on small, and says so", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "weir-auto", messages, max_tokens: 64 }, { headers: { "x-weir-max-cost": "0.00015" } })
      .withResponse();
    expect(response.headers.get("x-weir-tier")).toBe("small");
    expect(response.headers.get("x-weir-path")).toBe("small");
    expect(response.headers.get("x-weir-targets-note")).toMatch(/^max cost \$0\.00015: dropped large est\. \$0\.000\d+; kept small$/);
    const weir = (data as unknown as { weir: WeirMeta }).weir;
    expect(weir.escalated).toBe(false);
    expect(weir.targets_note).toBe(response.headers.get("x-weir-targets-note"));
  });

  it("without targets the same request escalates, and there is no note", async () => {
    const { response } = await openai.chat.completions.create({ model: "weir-auto", messages, max_tokens: 64 }).withResponse();
    expect(response.headers.get("x-weir-path")).toBe("small,large");
    expect(response.headers.get("x-weir-targets-note")).toBeNull();
  });

  it("a min quality the static ladder cannot estimate is planned as usual, with a note saying why", async () => {
    const { response } = await openai.chat.completions
      .create({ model: "weir-auto", messages, max_tokens: 16 }, { headers: { "x-weir-min-quality": "0.9" } })
      .withResponse();
    expect(response.headers.get("x-weir-path")).toBe("small,large");
    expect(response.headers.get("x-weir-targets-note")).toMatch(/no quality estimate/);
  });

  it("the gRPC fields do the same", async () => {
    const client = createClient(InferenceService, fx.stack.grpcAddress);
    try {
      const r = await client.generate({ input: { model: "weir-auto", messages, maxTokens: 64, maxCostUsd: 0.00015 } });
      expect(r.cascade?.tier).toBe("small");
      expect(r.cascade?.path.map((s) => s.tier)).toEqual(["small"]);
      expect(r.cascade?.targetsNote).toMatch(/dropped large/);
    } finally {
      client.close();
    }
  });

  it("malformed or conflicting targets are a 400 with a sentence (HTTP) and INVALID_ARGUMENT (gRPC)", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ model: "weir-auto", messages }),
        signal: AbortSignal.timeout(15_000),
      });
    for (const [name, value] of [
      ["x-weir-min-quality", "1.2"],
      ["x-weir-max-cost", "cheap"],
      ["x-weir-max-cost", "0.01, 0.02"],
      ["x-weir-streaming", "sometimes"],
    ] as const) {
      const res = await post({ [name]: value });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { param: string; code: string; message: string } };
      expect(body.error).toMatchObject({ param: name, code: "invalid_argument" });
      expect(body.error.message).toMatch(/: /);
    }
    const client = createClient(InferenceService, fx.stack.grpcAddress);
    try {
      const err = await client.generate({ input: { model: "weir-auto", messages, minQuality: 2 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeirError);
      expect((err as WeirError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((err as WeirError).message).toMatch(/min_quality must be a number from 0 to 1/);
    } finally {
      client.close();
    }
  });
});

describe("streaming policies with a forced escalation never stream rejected tokens", () => {
  for (const policy of ["buffered", "early"] as const) {
    it(`${policy} over OpenAI SSE: the stream is exactly the large tier's answer`, async () => {
      const expected = await largeAnswer();
      const stream = await openai.chat.completions.create(
        { model: "weir-auto", messages, max_tokens: 64, stream: true },
        { headers: { "x-weir-streaming": policy } },
      );
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      const collected = await collectChatStream(
        (async function* () {
          for await (const c of stream) {
            chunks.push(c);
            yield c;
          }
        })(),
      );
      expect(collected.text).toBe(expected);
      const weir = (chunks.at(-1) as unknown as { weir: WeirMeta }).weir;
      expect(weir.streaming_policy).toBe(policy);
      expect(weir.path.map((s) => [s.tier, s.accepted])).toEqual([
        ["small", false],
        ["large", true],
      ]);
    });

    it(`${policy} over the gRPC stream: the stream is exactly the large tier's answer`, async () => {
      const expected = await largeAnswer();
      const client = createClient(InferenceService, fx.stack.grpcAddress);
      try {
        let text = "";
        let final;
        const streamingPolicy = policy === "early" ? StreamingPolicy.EARLY : StreamingPolicy.BUFFERED;
        for await (const msg of client.generateStream({ input: { model: "weir-auto", messages, maxTokens: 64, streamingPolicy } })) {
          text += msg.textDelta;
          if (msg.finishReason) final = msg;
        }
        expect(text).toBe(expected);
        expect(final?.cascade?.streamingPolicy).toBe(policy);
        expect(final?.cascade?.path.map((s) => s.tier)).toEqual(["small", "large"]);
        // The placeholder engines write the same answer (42 tokens) for this
        // prompt on both tiers: early judged (and paid for) a prefix of
        // small's answer, buffered the whole of it.
        const [small, large] = final?.cascade?.path ?? [];
        expect(large?.completionTokens).toBeGreaterThan(32);
        if (policy === "early") expect(small?.completionTokens).toBeLessThan(large?.completionTokens ?? 0);
        else expect(small?.completionTokens).toBe(large?.completionTokens);
      } finally {
        client.close();
      }
    });
  }
});
