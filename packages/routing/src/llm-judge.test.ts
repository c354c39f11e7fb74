import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LLM_JUDGE_SCORER, LlmJudge } from "./llm-judge.js";

let url = "";
let seen: { model?: string; messages?: { role: string; content: string }[] } = {};
let reply = "0.8";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    seen = JSON.parse(body) as typeof seen;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { content: reply } }] }));
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("LlmJudge (optional judge model over the OpenAI chat API)", () => {
  it("sends the rubric, the question and the answer, and reads a probability", async () => {
    const judge = new LlmJudge({ baseUrl: url, model: "judge-70b", rubric: "Grade it." });
    const s = await judge.score({ prompt: "<|user|>\nWhat is 2+2?\n", response: "4", threshold: 0.5 });
    expect(seen.model).toBe("judge-70b");
    expect(seen.messages?.[0]).toEqual({ role: "system", content: "Grade it." });
    expect(seen.messages?.[1]?.content).toContain("What is 2+2?");
    expect(s).toMatchObject({ score: 0.8, accept: true, scorer: LLM_JUDGE_SCORER });
    reply = "Probability: 0.15";
    expect((await judge.score({ prompt: "q", response: "5", threshold: 0.5 })).accept).toBe(false);
  });

  it("fails with a sentence when the reply holds no probability", async () => {
    reply = "I cannot say";
    await expect(new LlmJudge({ baseUrl: url, model: "j" }).probability("q", "a")).rejects.toThrow(/not a probability/);
  });
});
