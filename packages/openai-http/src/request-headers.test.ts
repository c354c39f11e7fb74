import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamingPolicy } from "@weir/proto";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAiHandler } from "./handler.js";
import { fakeCascade, type CascadeScript } from "./test-support/fake-cascade.js";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function start(script: CascadeScript = {}): Promise<{ url: string; cascade: ReturnType<typeof fakeCascade> }> {
  const cascade = fakeCascade(script);
  const server = createServer(
    createOpenAiHandler({ cascade, models: () => [], maxBodyBytes: 64 * 1024, requestTimeoutMs: 5_000, ready: () => true }),
  );
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cascade };
}

function chat(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "weir-auto", messages: [{ role: "user", content: "Hi" }] }),
  });
}

describe("x-weir-min-quality, x-weir-max-cost and x-weir-streaming", () => {
  it("set the cascade input's targets and streaming policy", async () => {
    const { url, cascade } = await start();
    const res = await chat(url, { "x-weir-min-quality": "0.85", "x-weir-max-cost": "2.5e-3", "x-weir-streaming": "Early" });
    expect(res.status).toBe(200);
    const input = cascade.runs[0]?.input;
    expect(input?.minQuality).toBe(0.85);
    expect(input?.maxCostUsd).toBe(0.0025);
    expect(input?.streamingPolicy).toBe(StreamingPolicy.EARLY);
  });

  it("x-weir-conversation-id names the conversation (multi-turn state)", async () => {
    const { url, cascade } = await start();
    await chat(url, { "x-weir-conversation-id": "user-7:chat-42" });
    expect(cascade.runs[0]?.input.conversationId).toBe("user-7:chat-42");
  });

  it("leave the input alone when absent", async () => {
    const { url, cascade } = await start();
    await chat(url, {});
    const input = cascade.runs[0]?.input;
    expect(input?.minQuality).toBeUndefined();
    expect(input?.maxCostUsd).toBeUndefined();
    expect(input?.streamingPolicy).toBe(StreamingPolicy.UNSPECIFIED);
  });

  it.each([
    ["x-weir-min-quality", "1.5", /above 1/],
    ["x-weir-min-quality", "high", /not a number/],
    ["x-weir-min-quality", "-0.2", /not a number/],
    ["x-weir-min-quality", "0x1", /not a number/],
    ["x-weir-max-cost", "0", /no generation is free/],
    ["x-weir-max-cost", "Infinity", /not a number/],
    ["x-weir-max-cost", "$0.01", /not a number/],
    ["x-weir-min-quality", "0.5, 0.9", /conflicting values \(0\.5, 0\.9\)/],
    ["x-weir-streaming", "eager", /use buffered .* or early/],
    ["x-weir-conversation-id", "a b", /letters, digits/],
  ])("%s: %s is a 400 with a sentence naming the header", async (name, value, sentence) => {
    const { url, cascade } = await start();
    const res = await chat(url, { [name]: value });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string; param: string; code: string } };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: name, code: "invalid_argument" });
    expect(body.error.message).toMatch(sentence);
    expect(cascade.runs).toHaveLength(0);
  });

  it("a header repeated with the same value is not a conflict", async () => {
    const { url, cascade } = await start();
    const res = await chat(url, { "x-weir-max-cost": "0.01, 0.01" });
    expect(res.status).toBe(200);
    expect(cascade.runs[0]?.input.maxCostUsd).toBe(0.01);
  });

  it("the reply carries the targets note and the streaming policy, as the weir object and headers", async () => {
    const { url } = await start({
      patch: (r) => {
        if (r.cascade) {
          r.cascade.targetsNote = "max cost $0.0001 rules out large → kept small";
          r.cascade.streamingPolicy = "early";
        }
      },
    });
    const res = await chat(url, { "x-weir-max-cost": "0.0001" });
    expect(res.headers.get("x-weir-targets-note")).toBe("max cost $0.0001 rules out large %E2%86%92 kept small");
    expect(res.headers.get("x-weir-streaming")).toBe("early");
    const body = (await res.json()) as { weir: { targets_note: string; streaming_policy: string } };
    expect(body.weir).toMatchObject({ targets_note: "max cost $0.0001 rules out large → kept small", streaming_policy: "early" });
  });
});
