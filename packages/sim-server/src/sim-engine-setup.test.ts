import { loadGsm8k } from "@weir/datasets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimSetup, parseReplaySpec, startSimServer, type RunningSimServer, type SimSetup } from "./index.js";

// The sim-server as `weir sim-server` runs it: the simulated engine replaying
// Mixtral's recorded GSM8K answers, its own metrics on /metrics.
const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
let setup: SimSetup;
let server: RunningSimServer;

beforeAll(async () => {
  setup = createSimSetup({ preset: "llama-3.1-8b/h100", speedup: 200, replay: parseReplaySpec(`gsm8k:${MIXTRAL}`) });
  server = await startSimServer({ engine: setup.engine, model: "sim-llama", port: 0, metrics: setup.metrics });
});
afterAll(async () => {
  await server.close();
  setup.engine.stop();
});

describe("sim-server with the simulated engine", () => {
  it("answers a GSM8K question with the recorded answer, and reports the simulator's vLLM metrics", async () => {
    const row = loadGsm8k().rows[2];
    const res = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-llama", messages: [{ role: "user", content: row?.prompt }] }),
    });
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    expect(body.choices[0]?.message.content).toBe(row?.response[MIXTRAL]);
    const metrics = await (await fetch(`${server.url.replace(/\/v1$/, "")}/metrics`)).text();
    expect(metrics).toContain(`vllm:generation_tokens_total{model_name="sim-llama"} ${body.usage.completion_tokens}`);
    expect(metrics).toContain('vllm:request_success_total{model_name="sim-llama"} 1');
    expect(metrics).toMatch(/vllm:time_to_first_token_seconds_count\{model_name="sim-llama"\} 1/);
    expect(metrics).toContain("vllm:num_preemptions_total");
  });

  it("describes itself", () => {
    expect(setup.description).toBe(`preset llama-3.1-8b/h100, speedup 200×, replaying gsm8k answers of ${MIXTRAL}`);
  });

  it("reads --replay specs", () => {
    expect(parseReplaySpec("mmlu:gpt-4-1106-preview")).toEqual({ dataset: "mmlu", model: "gpt-4-1106-preview" });
    expect(() => parseReplaySpec("squad:x")).toThrow(/--replay takes <dataset>:<model column>, with dataset gsm8k or mmlu/);
    expect(() => parseReplaySpec("gsm8k:")).toThrow(/got "gsm8k:"/);
  });
});
