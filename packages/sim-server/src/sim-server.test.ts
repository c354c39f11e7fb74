import { PlaceholderEngine } from "@weir/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimServer, type RunningSimServer } from "./index.js";

// The server around the placeholder engine (zero delay), spoken to with
// fetch exactly as an OpenAI client would.
const MODEL = "test/sim-model";
let server: RunningSimServer;

beforeAll(async () => {
  const engine = new PlaceholderEngine({ tier: "sim", tokenDelayMs: 0, maxConcurrency: 8 });
  server = await startSimServer({ engine, model: MODEL, port: 0, maxBodyBytes: 4096 });
});
afterAll(async () => {
  await server.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The `data:` payloads of an SSE body, in order. */
async function sseData(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice("data: ".length));
}

describe("sim-server", () => {
  it("answers a chat completion with usage", async () => {
    const res = await post("/chat/completions", { model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 8 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      object: string;
      model: string;
      choices: { message: { role: string; content: string }; finish_reason: string }[];
      usage: Usage;
    };
    expect(body.object).toBe("chat.completion");
    expect(body.model).toBe(MODEL);
    expect(body.choices[0]?.message.role).toBe("assistant");
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(8);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it("streams a chat completion as SSE: role, tokens, finish, usage, [DONE]", async () => {
    const res = await post("/chat/completions", {
      model: MODEL,
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
      ignore_eos: true,
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const data = await sseData(res);
    expect(data.at(-1)).toBe("[DONE]");
    const events = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[]; usage?: Usage });
    expect(events[0]?.choices[0]?.delta.role).toBe("assistant");
    const tokens = events.filter((e) => (e.choices[0]?.delta.content ?? "") !== "");
    expect(tokens).toHaveLength(5); // ignore_eos: exactly max_tokens, one per event
    expect(["stop", "length"]).toContain(events.at(-2)?.choices[0]?.finish_reason);
    expect(events.at(-1)?.choices).toEqual([]);
    expect(events.at(-1)?.usage?.completion_tokens).toBe(5);
  });

  it("answers legacy completions, streaming and not", async () => {
    const plain = (await (await post("/completions", { model: MODEL, prompt: "Say hi", max_tokens: 6 })).json()) as {
      object: string;
      choices: { text: string }[];
      usage: Usage;
    };
    expect(plain.object).toBe("text_completion");
    const streamed = await sseData(await post("/completions", { model: MODEL, prompt: ["Say hi"], max_tokens: 6, stream: true }));
    const text = streamed
      .slice(0, -1)
      .map((d) => (JSON.parse(d) as { choices: { text: string }[] }).choices[0]?.text ?? "")
      .join("");
    expect(text).toBe(plain.choices[0]?.text);
  });

  it("lists its model, and says it is healthy", async () => {
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual([MODEL]);
    const health = await fetch(`${server.url.replace(/\/v1$/, "")}/health`);
    expect(health.status).toBe(200);
  });

  it("exports vLLM's metrics", async () => {
    await post("/completions", { model: MODEL, prompt: "count me", max_tokens: 3, ignore_eos: true });
    const text = await (await fetch(`${server.url.replace(/\/v1$/, "")}/metrics`)).text();
    expect(text).toContain(`vllm:num_requests_running{model_name="${MODEL}"} 0`);
    expect(text).toMatch(/vllm:generation_tokens_total\{model_name="test\/sim-model"\} \d+/);
    expect(text).toMatch(/vllm:request_success_total\{model_name="test\/sim-model",finished_reason="(stop|length)"\} [1-9]/);
    expect(text).toContain("vllm:time_to_first_token_seconds_bucket");
    expect(text).toContain("vllm:e2e_request_latency_seconds_count");
  });

  describe("bad input gets an OpenAI-style error", () => {
    const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { message: string; type: string; param: string | null; code: string } }) });

    it("malformed JSON → 400", async () => {
      const e = await errorOf(await post("/chat/completions", "{nope"));
      expect(e.status).toBe(400);
      expect(e.error.type).toBe("invalid_request_error");
      expect(e.error.message).toMatch(/JSON/);
    });

    it("a missing or invalid field → 400 naming it", async () => {
      const missing = await errorOf(await post("/chat/completions", { model: MODEL }));
      expect(missing.status).toBe(400);
      expect(missing.error.param).toBe("messages");
      const bad = await errorOf(await post("/chat/completions", { model: MODEL, messages: [{ role: "user", content: "x" }], max_tokens: 0 }));
      expect(bad.error.param).toBe("max_tokens");
      expect(bad.error.message).toBe("max_tokens must be at least 1");
      const role = await errorOf(await post("/chat/completions", { model: MODEL, messages: [{ role: "robot", content: "x" }] }));
      expect(role.error.param).toBe("messages[0].role");
    });

    it("an unknown model → 404 model_not_found", async () => {
      const e = await errorOf(await post("/completions", { model: "other", prompt: "x" }));
      expect(e.status).toBe(404);
      expect(e.error.code).toBe("model_not_found");
      expect(e.error.message).toContain(MODEL);
    });

    it("a body over the limit → 413; an unknown path → 404; a wrong method → 400", async () => {
      expect((await post("/completions", { model: MODEL, prompt: "x".repeat(5000) })).status).toBe(413);
      expect((await fetch(`${server.url}/embeddings`)).status).toBe(404);
      expect((await fetch(`${server.url}/chat/completions`)).status).toBe(400);
    });
  });

  it("stops the generation when the client goes away", async () => {
    const slow = new PlaceholderEngine({ tier: "sim", tokenDelayMs: 50, maxConcurrency: 1 });
    const s = await startSimServer({ engine: slow, model: MODEL, port: 0 });
    try {
      const ac = new AbortController();
      const res = await fetch(`${s.url}/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, prompt: "long", max_tokens: 1000, ignore_eos: true, stream: true }),
        signal: ac.signal,
      });
      const reader = res.body?.getReader();
      await reader?.read();
      expect(slow.load().running).toBe(1);
      ac.abort();
      await expect.poll(() => slow.load().running, { timeout: 2000 }).toBe(0);
    } finally {
      await s.close();
    }
  });
});
