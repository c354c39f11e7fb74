import { z } from "zod";
import { documented, oneOf } from "./field-doc.js";
import type { WeirConfig } from "./types.js";

// Every field carries a FieldDoc (what it must be, how to fix it): the error
// formatter turns a zod issue into one sentence from it. Sections default to
// {} through .prefault, which (unlike .default in zod 4) still parses the
// empty object, so the fields' own defaults apply and a minimal file works.

/** Marks a refinement's message as a finished clause ("is required when …; set it …"). */
const sentence = { sentence: true } as const;

const ENGINES = ["placeholder", "sim", "openai"] as const;
/** The model name clients send to let Weir choose; a tier cannot take it. */
export const AUTO_MODEL = "weir-auto";

const port = (what: string): z.ZodInt =>
  documented(z.int().min(0).max(65535), "a port number from 0 to 65535", `set it to the port ${what} (0 picks a free one)`);

const positiveMs = (what: string): z.ZodNumber =>
  documented(z.number().positive(), "a number of milliseconds > 0", `set it to ${what}, in milliseconds`);

const price = (kind: "input" | "output"): z.ZodNumber =>
  documented(z.number().min(0), "a number ≥ 0", `set it to the price in USD per million ${kind} tokens`);

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
      }),
      "a section of engine settings",
      "see weir.yaml for its fields",
    ).prefault({}),
  })
  .superRefine((tier, ctx) => {
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
        policy: documented(z.enum(["static-ladder"]), oneOf(["static-ladder"]), "pick the routing policy").default("static-ladder"),
      }),
      "a section with the routing policy",
      "see weir.yaml for its fields",
    ).prefault({}),
    judge: documented(
      z.strictObject({
        scorer: documented(z.enum(["placeholder"]), oneOf(["placeholder"]), "pick the quality scorer").default("placeholder"),
        placeholderScore: documented(
          z.number().min(0).max(1),
          "a number from 0 to 1",
          "set it to the fixed score the placeholder judge gives every answer, or remove it",
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
  });

// The hand-written interfaces in types.ts are the documented API; this
// fails to compile if the schema's output and the interfaces ever disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<z.output<typeof weirConfigSchema>, WeirConfig> = true;
void schemaMatchesTypes;
