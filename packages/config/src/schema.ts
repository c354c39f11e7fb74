import { z } from "zod";
import { documented, oneOf } from "./field-doc.js";
import type { WeirConfig } from "./types.js";

// Every field carries a FieldDoc (what it must be, how to fix it): the error
// formatter turns a zod issue into one sentence from it. Sections default to
// {} through .prefault, which (unlike .default in zod 4) still parses the
// empty object, so the fields' own defaults apply and a minimal file works.

/** Marks a refinement's message as a finished clause ("is required when …; set it …"). */
const sentence = { sentence: true } as const;

// Routing policies and quality scorers (the router and judge sections).
const ROUTER_POLICIES = ["static-ladder", "learned"] as const;
const JUDGE_SCORERS = ["placeholder", "trained", "llm"] as const;
const ENGINES = ["placeholder", "sim", "openai"] as const;
/** Datasets whose recorded answers the sim engine can replay (@weir/datasets). */
const REPLAY_DATASETS = ["gsm8k", "mmlu"] as const;
/** The model name clients send to let Weir choose; a tier cannot take it. */
export const AUTO_MODEL = "weir-auto";

const port = (what: string): z.ZodInt =>
  documented(z.int().min(0).max(65535), "a port number from 0 to 65535", `set it to the port ${what} (0 picks a free one)`);

const positiveMs = (what: string): z.ZodNumber =>
  documented(z.number().positive(), "a number of milliseconds > 0", `set it to ${what}, in milliseconds`);

const price = (kind: "input" | "output"): z.ZodNumber =>
  documented(z.number().min(0), "a number ≥ 0", `set it to the price in USD per million ${kind} tokens`);

// engine: sim — the simulated vLLM-style engine. Batch limits default to
// the preset's (what vLLM would pick on that hardware), so they are optional.
const simEngineOptions = {
  preset: documented(
    z.string().regex(/^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*$/),
    'a "<model>/<gpu>" preset name',
    "set it to the simulator's model and hardware, e.g. llama-3.1-8b/h100",
  ).exactOptional(),
  speedup: documented(
    z.number().positive(),
    "a number > 0",
    "set it to how many times faster than the modelled hardware the simulation runs (1 = real time)",
  ).default(1),
  seed: documented(z.int().min(0), "a whole number ≥ 0", "set it to the simulator's random seed, or remove it").exactOptional(),
  maxNumSeqs: documented(
    z.int().min(1),
    "a whole number ≥ 1",
    "set it to the most sequences in one batch (vLLM's max_num_seqs), or remove it for the preset's",
  ).exactOptional(),
  maxNumBatchedTokens: documented(
    z.int().min(1),
    "a whole number ≥ 1",
    "set it to the most tokens in one batch step (vLLM's max_num_batched_tokens), or remove it for the preset's",
  ).exactOptional(),
  replay: documented(
    z.strictObject({
      dataset: documented(z.enum(REPLAY_DATASETS), oneOf(REPLAY_DATASETS), "pick the dataset whose recorded answers to replay"),
      model: documented(
        z.string().min(1),
        "a model column of the dataset",
        "set it to the model whose answers to replay, e.g. mistralai/Mixtral-8x7B-Instruct-v0.1",
      ),
    }),
    "a section with dataset and model",
    'replay recorded answers with e.g. { dataset: gsm8k, model: "gpt-4-1106-preview" }, or remove it',
  ).exactOptional(),
};

// engine: openai — any OpenAI-compatible server at baseUrl.
const openAiEngineOptions = {
  upstreamModel: documented(
    z.string().min(1),
    "a model name",
    "set it to the model name the OpenAI-compatible server knows, or remove it to send the tier's model",
  ).exactOptional(),
  apiKeyEnv: documented(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    "an environment variable name",
    "set it to the variable that holds the server's API key, e.g. OPENAI_API_KEY, or remove it to send none",
  ).exactOptional(),
  timeouts: documented(
    z.strictObject({
      connectMs: positiveMs("how long connecting to the server may take").default(5000),
      firstTokenMs: positiveMs("how long the first token may take, retries included").default(60_000),
      idleMs: positiveMs("how long the server may fall silent in the middle of an answer").default(30_000),
    }),
    "a section with connectMs, firstTokenMs and idleMs",
    "give the upstream timeouts in milliseconds",
  ).prefault({}),
  retries: documented(
    z.int().min(0),
    "a whole number ≥ 0",
    "set it to how many times a request is retried before its first token (0 = never)",
  ).default(2),
};

const tierSchema = z
  .strictObject({
    name: documented(
      z
        .string()
        .regex(/^[a-z0-9-]+$/)
        .refine((name) => name !== AUTO_MODEL),
      `a lower-case name of letters, digits and "-", other than "${AUTO_MODEL}"`,
      'name the tier, e.g. "small"',
    ),
    model: documented(z.string().min(1), "a model name", "set it to the model this tier serves, e.g. meta-llama/Llama-3.1-8B-Instruct"),
    engine: documented(z.enum(ENGINES), oneOf(ENGINES), "pick the engine that runs this tier's model").default("placeholder"),
    pricing: documented(
      z.strictObject({ inputPerMTok: price("input").default(0), outputPerMTok: price("output").default(0) }),
      "a section with inputPerMTok and outputPerMTok",
      "give the tier's prices in USD per million tokens",
    ).prefault({}),
    replicas: documented(z.int().min(0), "a whole number ≥ 0", "set it to how many model-worker instances of this tier to run").default(1),
    qeThreshold: documented(
      z.number().min(0).max(1),
      "a number from 0 to 1",
      "set it to the quality score at or above which this tier's answer is accepted",
    ).default(0.5),
    engineOptions: documented(
      z.strictObject({
        tokenDelayMs: documented(z.number().min(0), "a number ≥ 0", "set it to the placeholder engine's delay per generated token, in milliseconds").default(20),
        maxConcurrency: documented(z.int().min(1), "a whole number ≥ 1", "set it to how many generations one instance runs at once").default(64),
        baseUrl: documented(
          z.url({ protocol: /^https?$/ }),
          "an http(s) URL",
          "set it to the OpenAI-compatible server's base URL, e.g. http://127.0.0.1:8000/v1",
        ).exactOptional(),
        ...simEngineOptions,
        ...openAiEngineOptions,
      }),
      "a section of engine settings",
      "see weir.yaml for its fields",
    ).prefault({}),
  })
  .superRefine((tier, ctx) => {
    if (tier.engine === "sim" && tier.engineOptions.preset === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["engineOptions", "preset"],
        params: sentence,
        message: 'is required when engine is "sim"; set it to the simulator\'s model and hardware, e.g. llama-3.1-8b/h100',
      });
    }
    if (tier.engine === "openai" && tier.engineOptions.baseUrl === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["engineOptions", "baseUrl"],
        params: sentence,
        message:
          'is required when engine is "openai"; set it to the OpenAI-compatible server\'s base URL, e.g. http://127.0.0.1:8000/v1',
      });
    }
  });

const tiersSchema = documented(
  z.array(tierSchema).min(1),
  "a list of at least one tier",
  "list the model tiers, cheapest first",
).superRefine((tiers, ctx) => {
  const seen = new Map<string, number>();
  tiers.forEach((tier, i) => {
    const first = seen.get(tier.name);
    if (first === undefined) seen.set(tier.name, i);
    else
      ctx.addIssue({
        code: "custom",
        path: [i, "name"],
        params: sentence,
        message: `"${tier.name}" is already the name of tiers[${first}]; give every tier its own name`,
      });
  });
});

/** The schema of weir.yaml. Its output is a WeirConfig with every default filled in. */
export const weirConfigSchema = z
  .strictObject({
    tiers: tiersSchema,
    slo: documented(
      z.strictObject({
        ttftMs: positiveMs("the time-to-first-token objective").default(1000),
        tpotMs: positiveMs("the time-per-output-token objective").default(100),
        e2eMs: positiveMs("the end-to-end latency objective").default(30_000),
      }),
      "a section with ttftMs, tpotMs and e2eMs",
      "give the latency objectives in milliseconds",
    ).prefault({}),
    gateway: documented(
      z.strictObject({
        host: documented(z.string().min(1), "a host name or IP address", "set it to the address the gateway listens on (0.0.0.0 for every interface)").default("127.0.0.1"),
        httpPort: port("of the OpenAI-compatible HTTP API").default(8080),
        grpcPort: port("of the gRPC inference API").default(8081),
        maxBodyBytes: documented(z.int().min(1), "a whole number of bytes ≥ 1", "set it to the largest request body to accept, in bytes").default(1024 * 1024),
        requestTimeoutMs: documented(z.int().min(1), "a whole number of milliseconds ≥ 1", "set it to how long a request may run before it is cancelled, in milliseconds").default(60_000),
      }),
      "a section of gateway settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    router: documented(
      z.strictObject({
        policy: documented(z.enum(ROUTER_POLICIES), oneOf(ROUTER_POLICIES), "pick the routing policy").default("static-ladder"),
        artifacts: documented(
          z.string().min(1),
          "a directory path",
          "set it to the directory holding routing.json written by weir train (relative to weir.yaml), e.g. artifacts/gsm8k-mmlu",
        ).exactOptional(),
        budget: documented(
          z.number().min(0),
          "a number ≥ 0",
          "set it to the budget β (0 = most accurate tier whatever it costs; larger = cheaper), or remove it to use the artifact's",
        ).exactOptional(),
      }),
      "a section with the routing policy",
      "see weir.yaml for its fields",
    ).prefault({}),
    judge: documented(
      z.strictObject({
        scorer: documented(z.enum(JUDGE_SCORERS), oneOf(JUDGE_SCORERS), "pick the quality scorer").default("placeholder"),
        placeholderScore: documented(
          z.number().min(0).max(1),
          "a number from 0 to 1",
          "set it to the fixed score the placeholder judge gives every answer, or remove it",
        ).exactOptional(),
        artifacts: documented(
          z.string().min(1),
          "a directory path",
          "set it to the directory holding routing.json written by weir train (relative to weir.yaml), e.g. artifacts/gsm8k-mmlu",
        ).exactOptional(),
        llm: documented(
          z.strictObject({
            baseUrl: documented(z.url({ protocol: /^https?$/ }), "an http(s) URL", "set it to the judge model's OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1"),
            model: documented(z.string().min(1), "a model name", "set it to the judge model's name"),
            rubric: documented(z.string().min(1), "a text", "write the grading instructions, or remove it for the default rubric").exactOptional(),
          }),
          "a section with baseUrl, model and optionally rubric",
          "configure the judge model, or remove the section",
        ).exactOptional(),
      }),
      "a section of judge settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    scheduler: documented(
      z.strictObject({
        policy: documented(z.enum(["least-loaded"]), oneOf(["least-loaded"]), "pick the placement policy").default("least-loaded"),
        heartbeatTimeoutMs: positiveMs("how long a silent worker stays placeable").default(3000),
      }),
      "a section of scheduler settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    worker: documented(
      z.strictObject({
        heartbeatIntervalMs: positiveMs("how often a worker reports its load").default(1000),
      }),
      "a section of worker settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    nats: documented(
      z.strictObject({
        url: documented(z.string().min(1), "a NATS server URL", "set it to the NATS server, e.g. nats://127.0.0.1:4222").default("nats://127.0.0.1:4222"),
      }),
      "a section with the NATS url",
      "see weir.yaml for its fields",
    ).prefault({}),
  })
  .superRefine((config, ctx) => {
    const { heartbeatTimeoutMs } = config.scheduler;
    const { heartbeatIntervalMs } = config.worker;
    if (heartbeatTimeoutMs <= heartbeatIntervalMs) {
      ctx.addIssue({
        code: "custom",
        path: ["scheduler", "heartbeatTimeoutMs"],
        params: sentence,
        message: `(${heartbeatTimeoutMs}) must be greater than worker.heartbeatIntervalMs (${heartbeatIntervalMs}), or live workers expire between heartbeats; set it to about 3 times the interval`,
      });
    }
    // The trained judge needs an artifact (its own, or the router's); the LLM judge its model.
    if (config.judge.scorer === "trained" && config.judge.artifacts === undefined && config.router.artifacts === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["judge", "artifacts"],
        params: sentence,
        message: 'is required when judge.scorer is "trained" (or set router.artifacts); set it to the directory weir train wrote, e.g. artifacts/gsm8k-mmlu',
      });
    }
    if (config.judge.scorer === "llm" && config.judge.llm === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["judge", "llm"],
        params: sentence,
        message: 'is required when judge.scorer is "llm"; give the judge model\'s baseUrl and model',
      });
    }
  });

// The hand-written interfaces in types.ts are the documented API; this
// fails to compile if the schema's output and the interfaces ever disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<z.output<typeof weirConfigSchema>, WeirConfig> = true;
void schemaMatchesTypes;
