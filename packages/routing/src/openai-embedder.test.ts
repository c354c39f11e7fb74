import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiEmbedder } from "./openai-embedder.js";

let url = "";
let lastBody: { model?: string; input?: string[] } = {};
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    lastBody = JSON.parse(body) as typeof lastBody;
    if (lastBody.model === "broken") {
      res.writeHead(500).end("boom");
      return;
    }
    const data = (lastBody.input ?? []).map((t, index) => ({ index, embedding: [t.length, 0, 0] }));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: data.reverse() }));
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("OpenAiEmbedder (any OpenAI-compatible /v1/embeddings)", () => {
  it("posts the texts in batches, orders by index, normalises, learns the dimensions", async () => {
    const e = new OpenAiEmbedder({ baseUrl: `${url}/`, model: "emb", batchSize: 2 });
    const vs = await e.embed(["a", "bb", "ccc"]);
    expect(vs.map((v) => Array.from(v))).toEqual([[1, 0, 0], [1, 0, 0], [1, 0, 0]]);
    expect(lastBody).toEqual({ model: "emb", input: ["ccc"] });
    expect(e.spec).toEqual({ kind: "openai", baseUrl: url, model: "emb", dims: 3 });
  });

  it("says what failed when the server errs", async () => {
    await expect(new OpenAiEmbedder({ baseUrl: url, model: "broken" }).embed(["x"])).rejects.toThrow(/answered HTTP 500: boom/);
    await expect(new OpenAiEmbedder({ baseUrl: url, model: "emb", dims: 7 }).embed(["x"])).rejects.toThrow(/returned 3 dimensions, expected 7/);
  });
});
