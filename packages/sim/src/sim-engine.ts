// The simulated engine behind the Engine interface, for the model-worker: real
// requests, real token ids (Llama 3 BPE), text from an OutputSource or filler,
// and the timing of a vLLM-style server on the modelled GPUs, in real time
// (sped up by `speedup`).

import type { Engine, EngineChunk, EngineLoad, EngineUsage, KvEventInit } from "@weir/engine";
import type { GenerateTokensRequest } from "@weir/proto";
import { flattenMessages } from "@weir/tokens";
import { EngineCore, type EngineCoreListener } from "./engine-core.js";
import type { InstanceConfig } from "./instance-config.js";
import type { SimMetricsSnapshot } from "./metrics.js";
import { DEFAULT_OUTPUT_LENGTHS, type OutputLengthDistribution, type OutputSource, resolveOutput } from "./output-text.js";
import { RealTimeDriver, type RealTimeDriverOptions } from "./real-time-driver.js";
import type { SimRequest } from "./sim-request.js";
import { type TextTokenizer, llama3Tokenizer } from "./tokenized-text.js";

export interface SimEngineParts {
  config: InstanceConfig;
  /** Simulated ms per wall ms, and the clock (tests). */
  driver?: RealTimeDriverOptions | undefined;
  outputSource?: OutputSource | undefined;
  outputTokens?: OutputLengthDistribution | undefined;
  tokenizer?: TextTokenizer | undefined;
}

/** Where a generation's consumer waits: until `generated` reaches `target`. */
interface Waiter {
  target: number;
  wake: (() => void) | undefined;
}

export class SimEngine implements Engine {
  readonly name = "sim";
  readonly config: InstanceConfig;
  readonly #core: EngineCore;
  readonly #driver: RealTimeDriver;
  readonly #source: OutputSource | undefined;
  readonly #lengths: OutputLengthDistribution;
  readonly #tokenizer: TextTokenizer;
  #nextId = 0;

  constructor(parts: SimEngineParts) {
    this.config = parts.config;
    const listener: EngineCoreListener = {
      onToken: (req) => wakeIfDue(req),
      onFinish: (req) => wakeIfDue(req),
    };
    this.#core = new EngineCore(parts.config, listener, { eventTimestamp: () => Date.now() });
    this.#driver = new RealTimeDriver(this.#core, parts.driver ?? {});
    this.#source = parts.outputSource;
    this.#lengths = parts.outputTokens ?? DEFAULT_OUTPUT_LENGTHS;
    this.#tokenizer = parts.tokenizer ?? llama3Tokenizer;
  }

  /** The served model's name (Hugging Face id), for heartbeats and /v1/models. */
  get model(): string {
    return this.config.preset.model.name;
  }

  load(): EngineLoad {
    return this.#core.load();
  }

  metrics(): SimMetricsSnapshot {
    return this.#core.metrics();
  }

  /** Adds a KV event listener; returns a function that removes it. Timestamps are wall-clock ms. */
  onKvEvent(fn: (e: KvEventInit) => void): () => void {
    return this.#core.onKvEvent(fn);
  }

  /** Forgets every cached prefix and emits a "cleared" KV event. */
  resetPrefixCache(): void {
    this.#core.resetPrefixCache(this.#driver.now());
  }

  /** Stops the engine's clock: requests in flight stop producing tokens (shutdown, tests). */
  stop(): void {
    this.#driver.stop();
  }

  /**
   * Streams the request's tokens as the simulated engine generates them. A
   * chunk waits for one token at most, never for more: it carries every token
   * generated and not yet sent, up to max_tokens_per_message.
   */
  async *generate(req: GenerateTokensRequest, signal: AbortSignal): AsyncGenerator<EngineChunk> {
    signal.throwIfAborted();
    const prompt = req.messages.length > 0 ? flattenMessages(req.messages) : req.prompt;
    const promptIds = this.#tokenizer.encode(prompt);
    // An empty prompt still costs one token (the BOS a real server prepends).
    const promptTokens = Math.max(1, promptIds.length);
    if (req.prefillOnly) {
      yield await this.#prefill(req, promptIds, promptTokens, signal);
      return;
    }
    const output = resolveOutput(prompt, req, {
      source: this.#source,
      lengths: this.#lengths,
      tokenizer: this.#tokenizer,
      maxOutputTokens: Math.max(1, this.config.maxModelLen - promptTokens),
    });
    const { ids, pieces } = output.tokens;
    const total = ids.length;
    const sim = this.#core.createRequest({
      id: `${req.requestId === "" ? "sim" : req.requestId}#${++this.#nextId}`,
      promptTokens,
      outputTokens: total,
      ...(promptIds.length > 0 ? { promptTokenIds: promptIds, outputTokenIds: ids } : {}),
    });
    const waiter: Waiter = { target: 0, wake: undefined };
    sim.tag = waiter;
    const perMessage = Math.max(1, req.maxTokensPerMessage);

    // Abort frees the request's blocks at once, even while the consumer is not pulling.
    const onAbort = (): void => {
      this.#core.abort(sim);
      waiter.wake?.();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.#core.add(sim, this.#driver.now());
    this.#driver.kick();
    try {
      let sent = 0;
      while (sent < total) {
        // Wait only while no token is ready; then send every ready token, up
        // to perMessage (see max_tokens_per_message): a consumer that keeps up
        // gets one per message, one that fell behind gets the backlog at once.
        // With fill_messages the caller reads nothing before the end: wait for a full message.
        const want = req.fillMessages ? Math.min(sent + perMessage, total) : sent + 1;
        while (alive(sim) && sim.generated < want) await untilGenerated(waiter, want);
        signal.throwIfAborted();
        const ready = alive(sim) ? sim.generated : total;
        const upTo = Math.min(sent + perMessage, ready, total);
        let text = "";
        for (let i = sent; i < upTo; i++) text += pieces[i] as string;
        const tokenCount = upTo - sent;
        sent = upTo;
        if (sent < total) {
          yield { text, tokenCount };
          continue;
        }
        const usage: EngineUsage = {
          promptTokens,
          completionTokens: total,
          totalTokens: promptTokens + total,
          cachedPromptTokens: Math.max(0, sim.cachedPromptTokens),
        };
        yield { text, tokenCount, finishReason: output.finishReason, usage };
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      // The consumer stopped early (break, error): free the request's capacity.
      this.#core.abort(sim);
    }
  }
  /**
   * A prefill-only request (escalation warm-up): the core computes the
   * prompt's KV and caches its full blocks, then samples one token at the end
   * of the last prefill step, as vLLM does with max_tokens 1. That token is
   * discarded and no decode block is cached (no output ids); the one chunk
   * says "prefill", with completion_tokens 0.
   */
  async #prefill(req: GenerateTokensRequest, promptIds: number[], promptTokens: number, signal: AbortSignal): Promise<EngineChunk> {
    const sim = this.#core.createRequest({
      id: `${req.requestId === "" ? "sim" : req.requestId}#${++this.#nextId}`,
      promptTokens,
      outputTokens: 1,
      ...(promptIds.length > 0 ? { promptTokenIds: promptIds, outputTokenIds: [] } : {}),
    });
    const waiter: Waiter = { target: 1, wake: undefined };
    sim.tag = waiter;
    const onAbort = (): void => {
      this.#core.abort(sim);
      waiter.wake?.();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.#core.add(sim, this.#driver.now());
    this.#driver.kick();
    try {
      while (alive(sim)) await untilGenerated(waiter, 1);
      signal.throwIfAborted();
      return {
        text: "",
        tokenCount: 0,
        finishReason: "prefill",
        usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens, cachedPromptTokens: Math.max(0, sim.cachedPromptTokens) },
      };
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.#core.abort(sim);
    }
  }
}

/** Still generating; a finished request has every token ready. */
function alive(req: SimRequest): boolean {
  return req.phase === "waiting" || req.phase === "running";
}

function untilGenerated(waiter: Waiter, target: number): Promise<void> {
  return new Promise<void>((resolve) => {
    waiter.target = target;
    waiter.wake = () => {
      waiter.wake = undefined;
      resolve();
    };
  });
}

function wakeIfDue(req: SimRequest): void {
  const waiter = req.tag as Waiter | undefined;
  if (waiter?.wake !== undefined && (req.generated >= waiter.target || req.phase !== "running")) waiter.wake();
}
