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
/** router.warmUp.staticLadder: the static ladder predicts nothing, so it warms every later rung or none. */
const STATIC_WARM_UP = ["never", "always"] as const;
/** router.risk.action: what a request whose risk reaches the threshold gets. */
const RISK_ACTIONS = ["strongest-tier", "stricter-threshold"] as const;
const ENGINES = ["placeholder", "sim", "openai"] as const;
/**
 * Placement policies: the same list as @weir/placement's PLACEMENT_POLICY_NAMES
 * (config does not depend on placement; the scheduler's tests check the two agree).
 */
const PLACEMENT_POLICIES = ["round-robin", "least-loaded", "prefix-aware", "length-aware", "prefix-length-aware"] as const;
/** Datasets whose recorded answers the sim engine can replay (@weir/datasets). */
const REPLAY_DATASETS = ["gsm8k", "mmlu"] as const;
/** The sim engine's KV precisions (@weir/sim's KV_PRECISIONS; the model-worker's types check they agree). */
const KV_PRECISIONS = ["fp16", "fp8-anchored", "int8-anchored"] as const;
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
  kvPrecision: documented(
    z.enum(KV_PRECISIONS),
    oneOf(KV_PRECISIONS),
    "pick fp16 (every KV block at 16 bits) or an anchored mode (blocks quantised to 8 bits except anchors and evidence), or remove it for fp16",
  ).exactOptional(),
  anchorBlocks: documented(
    z.int().min(0),
    "a whole number ≥ 0",
    "set it to how many leading KV blocks of every sequence stay at 16 bits in an anchored kvPrecision, or remove it for 4",
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

const placementPolicy = (fix: string): z.ZodEnum<{ [K in (typeof PLACEMENT_POLICIES)[number]]: K }> =>
  documented(z.enum(PLACEMENT_POLICIES), oneOf(PLACEMENT_POLICIES), fix);

const positive = (fix: string): z.ZodNumber => documented(z.number().positive(), "a number > 0", fix);
const wholeAtLeast1 = (fix: string): z.ZodInt => documented(z.int().min(1), "a whole number ≥ 1", fix);

// scheduler.policyOptions: the placement policies' knobs. Every one is
// optional: unset, @weir/placement's documented default applies (defaults
// live in one place, there).
const placementPolicyOptions = {
  warmupMaxLoad: positive("set it to the load (busy slots / maxConcurrency) below which an instance may take a warm-up").exactOptional(),
  warmupMaxQueuedPrefillTokens: documented(z.int().min(0), "a whole number ≥ 0", "set it to the prompt tokens an instance may have queued for prefill and still take a warm-up").exactOptional(),
  prefix: documented(
    z.strictObject({
      decodeLoadTokens: positive("set it to the prefill tokens one fully loaded instance costs a newcomer").exactOptional(),
      queuedPrefillWeight: documented(z.number().min(0), "a number ≥ 0", "set it to the weight of prefill already queued on an instance").exactOptional(),
      overloadCutoff: positive("set it to the load above which a cache hit no longer attracts a request").exactOptional(),
    }),
    "a section with decodeLoadTokens, queuedPrefillWeight and overloadCutoff",
    "give the prefix-aware cost weights, or remove the section for the defaults",
  ).exactOptional(),
  lengthGroups: documented(
    z.strictObject({
      groups: wholeAtLeast1("set it to how many length groups a tier is split into").exactOptional(),
      window: wholeAtLeast1("set it to how many recent requests the length histogram remembers").exactOptional(),
      replanEvery: wholeAtLeast1("set it to how many requests pass between two plans").exactOptional(),
      driftThreshold: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the histogram drift that forces an early plan").exactOptional(),
      driftCheckEvery: wholeAtLeast1("set it to how often, in requests, drift is checked").exactOptional(),
      minSamples: wholeAtLeast1("set it to how many requests a tier sees before its first plan").exactOptional(),
      attentionTokens: positive("set it to the context length at which attention costs as much as the rest of the model").exactOptional(),
      spillRatio: positive("set it to how much busier a group must be than its neighbour before requests spill over").exactOptional(),
      spillMargin: documented(z.number().min(0), "a number ≥ 0", "set it to the load margin added before spilling").exactOptional(),
    }),
    "a section of length-group settings",
    "give the length-aware grouping knobs, or remove the section for the defaults",
  ).exactOptional(),
  outputLength: documented(
    z.strictObject({
      defaultOutputTokens: positive("set it to the output length assumed before any is observed, in tokens").exactOptional(),
      alpha: documented(z.number().gt(0).max(1), "a number in (0, 1]", "set it to the weight of each observed output length in the moving average").exactOptional(),
    }),
    "a section with defaultOutputTokens and alpha",
    "give the output-length estimate's knobs, or remove the section for the defaults",
  ).exactOptional(),
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
        streamingPolicy: documented(
          z.enum(["buffered", "early"]),
          oneOf(["buffered", "early"]),
          "pick how judged rungs stream when a request does not say (x-weir-streaming): buffered holds the answer until the judge accepts it, early judges its first tokens and then streams",
        ).default("buffered"),
        earlyJudgeTokens: documented(z.int().min(1), "a whole number of tokens ≥ 1", "set it to how many tokens the judge reads before an early stream opens").default(32),
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
        warmUp: documented(
          z.strictObject({
            staticLadder: documented(
              z.enum(STATIC_WARM_UP),
              oneOf(STATIC_WARM_UP),
              "pick whether the static ladder warms every rung after the first (always) or none (never)",
            ).default("never"),
            acceptBelow: documented(
              z.number().min(0).max(1),
              "a probability from 0 to 1",
              "set it to the predicted acceptance below which the learned router warms the next rung (0 = never, 1 = always)",
            ).default(0),
          }),
          "a section with staticLadder and acceptBelow",
          "configure the escalation warm-up, or remove the section to turn it off",
        ).exactOptional(),
        // SERR-CASCADE layers on the router (docs/notes/router-layers.md).
        risk: documented(
          z.strictObject({
            enabled: documented(z.boolean(), "true or false", "set it to false to turn the risk overrides off").default(true),
            categories: documented(
              z.array(
                z.strictObject({
                  name: documented(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), "a lower-case name like medical-dosage", "name the category in lower case with dashes"),
                  weight: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the category's severity (1 = most severe)"),
                  lexicon: documented(
                    z.array(z.string().min(1)).min(1),
                    "a list of case-insensitive regular expressions",
                    "list the patterns that detect the category, e.g. ['\\bdosage\\b']",
                  ),
                }),
              ),
              "a list of { name, weight, lexicon }",
              "list the risk categories, or remove it for the built-in ones",
            ).exactOptional(),
            threshold: documented(z.number().min(0), "a number ≥ 0", "set it to the weighted risk at which the override fires").default(0.6),
            action: documented(z.enum(RISK_ACTIONS), oneOf(RISK_ACTIONS), "pick what a risky request gets").default("strongest-tier"),
            strictThreshold: documented(
              z.number().min(0).max(1),
              "a number from 0 to 1",
              "set it to the QE threshold every judged rung gets when action is stricter-threshold",
            ).default(0.9),
            decay: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the factor risk is multiplied by per later turn (0 = no memory)").default(0.5),
          }),
          "a section with enabled, categories, threshold, action, strictThreshold and decay",
          "configure the risk overrides, or remove the section for the defaults",
        ).prefault({}),
        turnReuse: documented(
          z.strictObject({
            enabled: documented(z.boolean(), "true or false", "set it to false to always generate repeated questions").default(true),
            ttlMs: positiveMs("how long a conversation's state is kept after its last turn").default(60 * 60 * 1000),
          }),
          "a section with enabled and ttlMs",
          "configure turn reuse, or remove the section for the defaults",
        ).prefault({}),
        escalationMemory: documented(
          z.strictObject({
            turns: documented(z.int().min(0), "a whole number ≥ 0", "set it to how many later turns start at the escalated tier (0 = no memory)").default(2),
            riskBelow: documented(z.number().min(0), "a number ≥ 0", "set it to the carried risk under which the memory is dropped early").default(0.2),
          }),
          "a section with turns and riskBelow",
          "configure escalation memory, or remove the section for the defaults",
        ).prefault({}),
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
        // L4 shadow verification and online recalibration (docs/notes/shadow-signals.md).
        shadow: documented(
          z.strictObject({
            fraction: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the share of accepted judged answers the next tier re-generates (0 = off)").default(0),
            maxInFlight: documented(z.int().min(0), "a whole number ≥ 0", "set it to how many shadow generations one gateway runs at once (more are dropped)").default(2),
            targetQuality: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the share of accepted answers the next tier should agree with").default(0.9),
            minSamples: documented(z.int().min(1), "a whole number ≥ 1", "set it to the shadow samples per (tier, cluster) before its threshold may move").default(50),
            maxStep: documented(z.number().gt(0).max(1), "a number in (0, 1]", "set it to the largest change of a threshold per update").default(0.02),
          }),
          "a section of shadow verification settings",
          "see weir.yaml for its fields",
        ).prefault({}),
        // L5 control signals (weir.signals.<kind>) and the novelty rule that raises QE thresholds.
        signals: documented(
          z.strictObject({
            publish: documented(z.boolean(), "true or false", "set it to whether the judge publishes control signals on weir.signals.*").default(true),
            driftWindow: documented(z.int().min(1), "a whole number ≥ 1", "set it to how many recent requests the cluster-mix drift compares with training").default(500),
            noveltyAbove: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the novelty above which the judge raises the threshold").default(1),
            noveltyMaxRaise: documented(z.number().min(0).max(1), "a number from 0 to 1", "set it to the threshold raise at novelty 1 (0 = novelty never changes it)").default(0.1),
          }),
          "a section of control-signal settings",
          "see weir.yaml for its fields",
        ).prefault({}),
      }),
      "a section of judge settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    scheduler: documented(
      z.strictObject({
        policy: placementPolicy("pick the placement policy every tier uses unless tierOverrides names it").default("least-loaded"),
        tierOverrides: documented(
          z.array(
            z.strictObject({
              name: documented(z.string().min(1), "a tier name", "name the tier whose placement policy to override"),
              policy: placementPolicy("pick this tier's placement policy"),
            }),
          ),
          "a list of { name, policy }",
          "list the tiers that place with another policy than scheduler.policy, e.g. [{ name: large, policy: prefix-aware }]",
        ).default([]),
        policyOptions: documented(z.strictObject(placementPolicyOptions), "a section of policy knobs", "see weir.yaml for its fields").prefault({}),
        heartbeatTimeoutMs: positiveMs("how long a silent worker stays placeable").default(3000),
        maxWarmupsInFlight: documented(
          z.int().min(0),
          "a whole number ≥ 0",
          "set it to how many escalation warm-ups one tier may have in flight (0 refuses every warm-up)",
        ).default(2),
        warmupLeaseMs: positiveMs("how long a placed warm-up counts against maxWarmupsInFlight").default(2000),
        // Optional (no default section) so configs that never mention it read
        // back exactly as before; absent means disabled.
        localWorkers: documented(
          z.strictObject({
            enabled: documented(z.boolean(), "true or false", "set it to true to let this scheduler start and stop the sim workers").default(false),
            entry: documented(
              z.string().min(1),
              "a file path",
              "set it to the model-worker's dist/main.js, or remove it to use $WEIR_MODEL_WORKER_ENTRY or the repository's",
            ).exactOptional(),
          }),
          "a section with enabled and entry",
          "give enabled: true (and optionally entry) to let the scheduler run the local sim workers",
        ).exactOptional(),
      }),
      "a section of scheduler settings",
      "see weir.yaml for its fields",
    ).prefault({}),
    worker: documented(
      z.strictObject({
        heartbeatIntervalMs: positiveMs("how often a worker reports its load").default(1000),
        maxWaiting: documented(
          z.int().min(0),
          "a whole number ≥ 0",
          "set it to how many requests one worker queues beyond its running ones before refusing more (0 = no bound)",
        ).default(0),
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
    const tierNames = new Set(config.tiers.map((t) => t.name));
    const overridden = new Set<string>();
    config.scheduler.tierOverrides.forEach((o, i) => {
      const problem = !tierNames.has(o.name)
        ? `("${o.name}") names no tier; use one of ${[...tierNames].join(", ")}`
        : overridden.has(o.name)
          ? `("${o.name}") is listed twice; give each tier one override`
          : undefined;
      overridden.add(o.name);
      if (problem !== undefined) {
        ctx.addIssue({ code: "custom", path: ["scheduler", "tierOverrides", i, "name"], params: sentence, message: problem });
      }
    });
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
