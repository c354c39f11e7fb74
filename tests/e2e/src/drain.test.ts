import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// Slow tokens (40 ms each) so a stream is still running when SIGTERM arrives.
let fx: StackFixture;

beforeAll(async () => {
  fx = await startStackFixture({
    tiers: [
      { name: "small", replicas: 1, tokenDelayMs: 40, qeThreshold: 0 },
      { name: "large", replicas: 1, tokenDelayMs: 40, qeThreshold: 0 },
    ],
  });
});

afterAll(async () => {
  await fx?.stop();
});

describe("graceful drain", () => {
  it("SIGTERM during a streaming request: the request completes, then the gateway exits 0", async () => {
    const openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const gateway = fx.stack.process("gateway");
    expect(gateway).toBeDefined();
    const stream = await openai.chat.completions.create({
      model: "large",
      messages: [{ role: "user", content: "Write a long story." }],
      max_tokens: 40,
      stream: true,
    });
    let text = "";
    let finish: string | null | undefined;
    let signalled = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (!signalled && text.length > 0) {
        signalled = true;
        gateway?.child.kill("SIGTERM");
      }
    }
    expect(signalled).toBe(true);
    expect(finish).toBeTruthy();
    expect(text.split(" ").filter(Boolean).length).toBeGreaterThan(5);
    expect(await gateway?.exited).toBe(0);
  });

  it("SIGTERM to a worker mid-stream: its stream completes, then it exits 0", async () => {
    const worker = fx.stack.process("worker:small-1");
    expect(worker).toBeDefined();
    // Call the worker directly over gRPC (the gateway is gone after the test above).
    const { createClient } = await import("@weir/grpc");
    const { WorkerService } = await import("@weir/proto");
    const client = createClient(WorkerService, String(worker?.info.address));
    let tokens = 0;
    let finish = "";
    let signalled = false;
    for await (const msg of client.generateTokens({ requestId: "drain-1", tier: "small", prompt: "Tell me everything.", maxTokens: 30 })) {
      tokens += msg.tokenCount;
      if (msg.finishReason) finish = msg.finishReason;
      if (!signalled) {
        signalled = true;
        worker?.child.kill("SIGTERM");
      }
    }
    client.close();
    expect(finish).not.toBe("");
    expect(tokens).toBeGreaterThan(5);
    expect(await worker?.exited).toBe(0);
  });
});
