import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { streamChat } from "./sse-chat.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A gateway stand-in answering /v1/chat/completions with the handler's response. */
async function serve(handler: (res: import("node:http").ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(res));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const event = (data: unknown): string => `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

describe("streamChat", () => {
  it("reads the text, the usage and the weir summary of the last chunk", async () => {
    const url = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(event({ choices: [{ delta: { role: "assistant" } }] }));
      res.write(event({ choices: [{ delta: { content: "4" } }] }));
      res.write(event({ choices: [{ delta: { content: "2" } }] }));
      res.write(event({ choices: [{ delta: {}, finish_reason: "stop" }] }));
      res.write(event({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 }, weir: { tier: "large", path: [{ tier: "small" }, { tier: "large" }], escalated: true, cost_usd: 0.002 } }));
      res.end(event("[DONE]"));
    });
    const o = await streamChat(url, [{ role: "user", content: "q" }], 5000);
    expect(o).toMatchObject({ status: 200, text: "42", completionTokens: 2, promptTokens: 5, tier: "large", path: ["small", "large"], escalated: true, costUsd: 0.002 });
    expect(o.error).toBeUndefined();
    expect(o.firstTokenMs).toBeLessThanOrEqual(o.lastTokenMs!);
  });

  it("turns an HTTP error, a stream error and a missed deadline into errors, never a throw", async () => {
    let url = await serve((res) => {
      res.writeHead(429, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "every worker of tier small is busy" } }));
    });
    expect(await streamChat(url, [], 5000)).toMatchObject({ status: 429, error: "HTTP 429: every worker of tier small is busy" });
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    url = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(event({ choices: [{ delta: { content: "x" } }] }));
      res.end(event({ error: { message: "worker lost" } }));
    });
    expect((await streamChat(url, [], 5000)).error).toBe("error in the stream: worker lost");
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    url = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(event({ choices: [{ delta: { content: "slow" } }] })); // and never ends
    });
    const late = await streamChat(url, [], 200);
    expect(late.error).toMatch(/within the client deadline of 200 ms/);
    expect(late.endMs).toBeGreaterThanOrEqual(190);
    server!.closeAllConnections();
  });
});
