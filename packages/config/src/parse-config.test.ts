import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const MINIMAL = `
tiers:
  - name: small
    model: meta-llama/Llama-3.1-8B-Instruct
`;

/** The ConfigError's problems for a file that must fail. */
function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseConfig(yaml, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("fills every default from a minimal file", () => {
    const config = parseConfig(MINIMAL);
    expect(config).toEqual({
      tiers: [
        {
          name: "small",
          model: "meta-llama/Llama-3.1-8B-Instruct",
          engine: "placeholder",
          pricing: { inputPerMTok: 0, outputPerMTok: 0 },
          replicas: 1,
          qeThreshold: 0.5,
          engineOptions: {
            tokenDelayMs: 20,
            maxConcurrency: 64,
            speedup: 1,
            timeouts: { connectMs: 5000, firstTokenMs: 60_000, idleMs: 30_000 },
            retries: 2,
          },
        },
      ],
      slo: { ttftMs: 1000, tpotMs: 100, e2eMs: 30_000 },
      gateway: { host: "127.0.0.1", httpPort: 8080, grpcPort: 8081, maxBodyBytes: 1_048_576, requestTimeoutMs: 60_000, streamingPolicy: "buffered", earlyJudgeTokens: 32 },
      router: {
        policy: "static-ladder",
        risk: { enabled: true, threshold: 0.6, action: "strongest-tier", strictThreshold: 0.9, decay: 0.5 },
        turnReuse: { enabled: true, ttlMs: 3_600_000 },
        escalationMemory: { turns: 2, riskBelow: 0.2 },
      },
      judge: { scorer: "placeholder", shadow: { fraction: 0, maxInFlight: 2, targetQuality: 0.9, minSamples: 50, maxStep: 0.02 }, signals: { publish: true, driftWindow: 500, noveltyAbove: 1, noveltyMaxRaise: 0.1 } },
      scheduler: {
        policy: "least-loaded",
        tierOverrides: [],
        policyOptions: {},
        heartbeatTimeoutMs: 3000,
        maxWarmupsInFlight: 2,
        warmupLeaseMs: 2000,
      },
      worker: { heartbeatIntervalMs: 1000, maxWaiting: 0 },
      nats: { url: "nats://127.0.0.1:4222" },
    });
    expect("placeholderScore" in config.judge).toBe(false);
  });

  it("names the field, the bad value and the fix for a wrong type", () => {
    const yaml = `${MINIMAL}
  - name: large
    model: meta-llama/Llama-3.1-70B-Instruct
    pricing: { inputPerMTok: cheap }
`;
    expect(problemsOf(yaml)).toEqual([
      'weir.yaml: tiers[1].pricing.inputPerMTok must be a number ≥ 0 (got "cheap"); set it to the price in USD per million input tokens.',
    ]);
  });

  it("suggests the field meant by an unknown key", () => {
    expect(problemsOf(`${MINIMAL}    replica: 2\n`)).toEqual(['weir.yaml: tiers[0] has no field "replica"; did you mean "replicas"?']);
    expect(problemsOf(`tier: []\n`)).toEqual([
      "weir.yaml: tiers is missing; list the model tiers, cheapest first.",
      'weir.yaml has no field "tier"; did you mean "tiers"?',
    ]);
    expect(problemsOf(`${MINIMAL}colour: blue\n`)[0]).toBe(
      'weir.yaml has no field "colour"; remove it or use one of tiers, slo, gateway, router, judge, scheduler, worker, nats.',
    );
  });

  it("reports every problem at once, one sentence each", () => {
    const yaml = `
tiers:
  - name: Small Tier
    model: ""
    engine: gpt
    qeThreshold: 2
    replicas: 1.5
gateway: { httpPort: 70000 }
`;
    expect(problemsOf(yaml)).toEqual([
      'weir.yaml: tiers[0].name must be a lower-case name of letters, digits and "-", other than "weir-auto" (got "Small Tier"); name the tier, e.g. "small".',
      'weir.yaml: tiers[0].model must be a model name (got ""); set it to the model this tier serves, e.g. meta-llama/Llama-3.1-8B-Instruct.',
      'weir.yaml: tiers[0].engine must be one of "placeholder", "sim", "openai" (got "gpt"); pick the engine that runs this tier\'s model.',
      "weir.yaml: tiers[0].replicas must be a whole number ≥ 0 (got 1.5); set it to how many model-worker instances of this tier to run.",
      "weir.yaml: tiers[0].qeThreshold must be a number from 0 to 1 (got 2); set it to the quality score at or above which this tier's answer is accepted.",
      "weir.yaml: gateway.httpPort must be a port number from 0 to 65535 (got 70000); set it to the port of the OpenAI-compatible HTTP API (0 picks a free one).",
    ]);
  });

  it("requires at least one tier, with unique names other than weir-auto", () => {
    expect(problemsOf("tiers: []\n")).toEqual([
      "weir.yaml: tiers must be a list of at least one tier (got an empty list); list the model tiers, cheapest first.",
    ]);
    expect(problemsOf(`${MINIMAL}  - name: small\n    model: other\n`)).toEqual([
      'weir.yaml: tiers[1].name "small" is already the name of tiers[0]; give every tier its own name.',
    ]);
    expect(problemsOf("tiers: [{ name: weir-auto, model: m }]\n")[0]).toMatch(/^weir\.yaml: tiers\[0\]\.name must be .* \(got "weir-auto"\)/);
  });

  it("requires baseUrl for the openai engine", () => {
    expect(problemsOf("tiers: [{ name: remote, model: m, engine: openai }]\n")).toEqual([
      'weir.yaml: tiers[0].engineOptions.baseUrl is required when engine is "openai"; set it to the OpenAI-compatible server\'s base URL, e.g. http://127.0.0.1:8000/v1.',
    ]);
    const ok = parseConfig("tiers: [{ name: remote, model: m, engine: openai, engineOptions: { baseUrl: 'http://127.0.0.1:8000/v1' } }]\n");
    expect(ok.tiers[0]?.engineOptions.baseUrl).toBe("http://127.0.0.1:8000/v1");
  });

  it("requires a preset for the sim engine, and checks its options", () => {
    expect(problemsOf("tiers: [{ name: small, model: m, engine: sim }]\n")).toEqual([
      'weir.yaml: tiers[0].engineOptions.preset is required when engine is "sim"; set it to the simulator\'s model and hardware, e.g. llama-3.1-8b/h100.',
    ]);
    const ok = parseConfig(`
tiers:
  - name: small
    model: m
    engine: sim
    engineOptions:
      preset: llama-3.1-8b/h100
      speedup: 10
      seed: 7
      maxNumSeqs: 128
      maxNumBatchedTokens: 4096
      replay: { dataset: gsm8k, model: mistralai/Mixtral-8x7B-Instruct-v0.1 }
`);
    expect(ok.tiers[0]?.engineOptions).toMatchObject({
      preset: "llama-3.1-8b/h100",
      speedup: 10,
      seed: 7,
      maxNumSeqs: 128,
      maxNumBatchedTokens: 4096,
      replay: { dataset: "gsm8k", model: "mistralai/Mixtral-8x7B-Instruct-v0.1" },
    });
    expect(
      problemsOf(
        "tiers: [{ name: s, model: m, engine: sim, engineOptions: { preset: H100, speedup: 0, replay: { dataset: squad, model: x } } }]\n",
      ),
    ).toEqual([
      'weir.yaml: tiers[0].engineOptions.preset must be a "<model>/<gpu>" preset name (got "H100"); set it to the simulator\'s model and hardware, e.g. llama-3.1-8b/h100.',
      "weir.yaml: tiers[0].engineOptions.speedup must be a number > 0 (got 0); set it to how many times faster than the modelled hardware the simulation runs (1 = real time).",
      'weir.yaml: tiers[0].engineOptions.replay.dataset must be one of "gsm8k", "mmlu" (got "squad"); pick the dataset whose recorded answers to replay.',
    ]);
  });

  it("checks the openai engine's options", () => {
    const ok = parseConfig(`
tiers:
  - name: remote
    model: meta-llama/Llama-3.1-8B-Instruct
    engine: openai
    engineOptions:
      baseUrl: http://127.0.0.1:8000/v1
      upstreamModel: llama3.1:8b
      apiKeyEnv: VLLM_API_KEY
      timeouts: { firstTokenMs: 2000 }
      retries: 0
`);
    expect(ok.tiers[0]?.engineOptions).toMatchObject({
      upstreamModel: "llama3.1:8b",
      apiKeyEnv: "VLLM_API_KEY",
      timeouts: { connectMs: 5000, firstTokenMs: 2000, idleMs: 30_000 },
      retries: 0,
    });
    expect(
      problemsOf(
        "tiers: [{ name: r, model: m, engine: openai, engineOptions: { baseUrl: 'http://h/v1', apiKeyEnv: 'MY KEY', timeouts: { idleMs: -1 }, retries: 1.5 } }]\n",
      ),
    ).toEqual([
      'weir.yaml: tiers[0].engineOptions.apiKeyEnv must be an environment variable name (got "MY KEY"); set it to the variable that holds the server\'s API key, e.g. OPENAI_API_KEY, or remove it to send none.',
      "weir.yaml: tiers[0].engineOptions.timeouts.idleMs must be a number of milliseconds > 0 (got -1); set it to how long the server may fall silent in the middle of an answer, in milliseconds.",
      "weir.yaml: tiers[0].engineOptions.retries must be a whole number ≥ 0 (got 1.5); set it to how many times a request is retried before its first token (0 = never).",
    ]);
  });

  it("says when a required field is missing", () => {
    expect(problemsOf("tiers: [{ name: small }]\n")).toEqual([
      "weir.yaml: tiers[0].model is missing; set it to the model this tier serves, e.g. meta-llama/Llama-3.1-8B-Instruct.",
    ]);
  });

  it("checks that workers are not expired between two heartbeats", () => {
    expect(problemsOf(`${MINIMAL}scheduler: { heartbeatTimeoutMs: 500 }\n`)).toEqual([
      "weir.yaml: scheduler.heartbeatTimeoutMs (500) must be greater than worker.heartbeatIntervalMs (1000), or live workers expire between heartbeats; set it to about 3 times the interval.",
    ]);
  });

  it("names the line of a YAML syntax error", () => {
    expect(problemsOf("tiers:\n  - name: small\n   model: m\n")).toEqual([
      "weir.yaml: line 3, column 1: YAML syntax error: Sequence item without - indicator; check the indentation, dashes, quotes and brackets on that line and the one before.",
    ]);
    expect(problemsOf(`${MINIMAL}gateway: {}\ngateway: {}\n`)[0]).toMatch(/^weir\.yaml: line 6, column 1: YAML syntax error: .*; remove or rename one of the repeated keys\.$/);
  });

  it("rejects a file that is not a mapping, and names the source it was given", () => {
    expect(() => parseConfig("- small\n", {}, "conf/prod.yaml")).toThrow(
      'conf/prod.yaml must be a mapping of sections (tiers, slo, gateway, ...), not a list; start it with "tiers:".',
    );
    expect(problemsOf("")).toEqual(["weir.yaml: tiers is missing; list the model tiers, cheapest first."]);
  });
});
