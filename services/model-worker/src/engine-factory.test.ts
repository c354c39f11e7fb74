import { create } from "@bufbuild/protobuf";
import { parseConfig, type TierConfig } from "@weir/config";
import { loadGsm8k } from "@weir/datasets";
import { GenerateTokensRequestSchema } from "@weir/proto";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createEngineForTier } from "./engine-factory.js";

const tierOf = (yaml: string): TierConfig => {
  const tier = parseConfig(`tiers:\n  - ${yaml}\n`).tiers[0];
  if (tier === undefined) throw new Error("no tier");
  return tier;
};
const opts = { instanceId: "t-1", env: {} };

describe("createEngineForTier", () => {
  it("builds the placeholder engine with no metrics of its own", () => {
    const { engine } = createEngineForTier(tierOf("{ name: small, model: m }"), opts);
    expect(engine.name).toBe("placeholder");
  });

  it("builds the sim engine, replaying GSM8K answers, with vLLM's metric names", async () => {
    const mixtral = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    const te = createEngineForTier(
      tierOf(`{ name: small, model: m, engine: sim, engineOptions: { preset: llama-3.1-8b/h100, speedup: 1000, replay: { dataset: gsm8k, model: "${mixtral}" } } }`),
      opts,
    );
    try {
      expect(te.engine.name).toBe("sim");
      const row = loadGsm8k().rows[0];
      let text = "";
      const req = create(GenerateTokensRequestSchema, { tier: "small", messages: [{ role: "user", content: row?.prompt ?? "" }], maxTokensPerMessage: 64 });
      for await (const c of te.engine.generate(req, new AbortController().signal)) text += c.text;
      expect(text).toBe(row?.response[mixtral]);
      const registry = new Registry();
      te.registerMetrics(registry);
      const metrics = await registry.metrics();
      expect(metrics).toContain('vllm:num_requests_running{model_name="m"} 0');
      expect(metrics).toMatch(/vllm:generation_tokens_total\{model_name="m"\} [1-9]/);
      expect(metrics).toContain("vllm:time_to_first_token_seconds_bucket");
    } finally {
      te.close();
    }
  });

  it("says which replay model columns exist when the configured one does not", () => {
    expect(() =>
      createEngineForTier(tierOf("{ name: small, model: m, engine: sim, engineOptions: { preset: llama-3.1-8b/h100, replay: { dataset: gsm8k, model: gpt-5 } } }"), opts),
    ).toThrow(/^tier "small" cannot replay gsm8k answers of "gpt-5" \(engineOptions\.replay\): .*mistralai\/Mixtral-8x7B-Instruct-v0\.1/);
  });

  it("builds the openai engine from baseUrl, upstreamModel, the key's variable and timeouts", async () => {
    const tier = tierOf(
      "{ name: remote, model: m, engine: openai, engineOptions: { baseUrl: 'http://127.0.0.1:1/v1', upstreamModel: up, apiKeyEnv: UPSTREAM_KEY } }",
    );
    expect(() => createEngineForTier(tier, opts)).toThrow(
      'tier "remote" reads its API key from UPSTREAM_KEY (engineOptions.apiKeyEnv), which is not set in the worker\'s environment; export it, or remove apiKeyEnv for a server without keys',
    );
    const te = createEngineForTier(tier, { ...opts, env: { UPSTREAM_KEY: "sk" } });
    expect(te.engine.name).toBe("openai");
    expect(te.engine.load()).toEqual({ running: 0, waiting: 0, maxConcurrency: 64, kvUsage: 0 });
    const registry = new Registry();
    te.registerMetrics(registry);
    expect(await registry.metrics()).toContain("# TYPE weir_upstream_time_to_first_token_seconds histogram");
    te.close();
  });
});
