import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GenerateTokensRequest, KvEventSchema, UsageSchema } from "@weir/proto";

/** A KV event as an engine emits it; the model-worker adds what it knows (instance id) and publishes it. */
export type KvEventInit = MessageInitShape<typeof KvEventSchema>;
export type UsageInit = MessageInitShape<typeof UsageSchema>;

/** "prefill": a prefill-only request (escalation warm-up) cached its prompt and generated nothing. */
export type FinishReason = "stop" | "length" | "prefill";

/** Token accounting of one finished generation, every field present. Assignable to UsageInit. */
export interface EngineUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens found in the engine's prefix cache (not prefilled again). */
  cachedPromptTokens: number;
}

/** Text for one or more tokens. Only the last chunk of a generation carries finishReason and usage. */
export interface EngineChunk {
  text: string;
  tokenCount: number;
  finishReason?: FinishReason;
  usage?: EngineUsage;
}

/** What a worker reports in its heartbeat (weir.v1.WorkerLoad). */
export interface EngineLoad {
  running: number;
  waiting: number;
  maxConcurrency: number;
  /** Fraction of KV blocks in use (0..1). */
  kvUsage: number;
  /** KV blocks in all, when the engine knows (weir.v1.WorkerLoad.kv_blocks_total). */
  kvBlocksTotal?: number;
  /** Prompt tokens admitted and not yet prefilled, when the engine knows. */
  waitingPromptTokens?: number;
}

/**
 * What a model-worker drives: one model instance that turns a request into a
 * stream of text chunks. Implementations: the PlaceholderEngine here; the
 * engines issue adds a vLLM-style simulated engine and an OpenAI-compatible
 * HTTP adapter behind the same interface.
 */
export interface Engine {
  /** The engine kind, as reported in heartbeats (e.g. "placeholder"). */
  readonly name: string;
  /**
   * Streams the generation. A chunk never waits for a second token: it
   * carries every token generated and not yet handed over, at most
   * max(1, req.max_tokens_per_message), so a consumer that keeps up gets one
   * token per chunk and one that falls behind gets the backlog in fewer
   * chunks. When `signal` aborts, the iteration stops promptly by throwing
   * the signal's reason, and the request's capacity is released.
   */
  generate(req: GenerateTokensRequest, signal: AbortSignal): AsyncIterable<EngineChunk>;
  load(): EngineLoad;
  /** Engines with a prefix cache report its changes here, in sequence order. */
  onKvEvent?(fn: (e: KvEventInit) => void): void;
}
