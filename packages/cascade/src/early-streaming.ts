import { context, type Context } from "@opentelemetry/api";
import type { Placement, QualityScore } from "@weir/proto";
import type { CascadePorts } from "./ports.js";
import type { PromptTokenizer } from "./prompt-tokenizer.js";
import { closeQuietly, type Generation } from "./tier-generation.js";

/** Tokens of a judged rung the QE sees before an `early` stream opens (gateway.earlyJudgeTokens). */
export const DEFAULT_EARLY_JUDGE_TOKENS = 32;

export interface EarlyRungOptions {
  requestId: string;
  tier: string;
  /** The prompt as the judge sees it (chat turns flattened). */
  prompt: string;
  threshold: number;
  /** Our estimate, the prompt cost of a generation stopped before it reported usage. */
  promptTokens: number;
  /** How many tokens to hold and judge before anything reaches the client. */
  tokens: number;
  tokenizer: PromptTokenizer;
  signal: AbortSignal;
  /** The step span's context: the judge call is its child. */
  ctx: Context;
}

/**
 * The `early` streaming policy on one judged rung. The first `tokens` tokens
 * are held and judged while the worker keeps generating; accepted, they are
 * released and the rest of the answer streams live from the same tier with no
 * further judging; rejected, the worker is cancelled and the cascade
 * escalates. Either way no token of a rejected answer leaves the gateway: the
 * only text passed on is text the judge has already accepted.
 *
 * An answer that ends within `tokens` is judged whole, as `buffered` would.
 * The trade: the first token arrives one prefix-and-verdict after the start
 * instead of one whole-answer-and-verdict, and a rejection costs only the
 * prefix; but the judge decides on less text.
 */
export class EarlyRung {
  /** The verdict, once given (on the prefix, or on a whole answer that ended within `tokens`). */
  verdict: QualityScore | undefined;
  readonly #ports: CascadePorts;
  readonly #opts: EarlyRungOptions;
  #placement: Placement | undefined;

  constructor(ports: CascadePorts, opts: EarlyRungOptions) {
    this.#ports = ports;
    this.#opts = opts;
  }

  /**
   * The ports with place() observed: a generation stopped on a rejected
   * prefix never returns its placement, but its step still names the instance.
   */
  observed(): CascadePorts {
    const ports = this.#ports;
    return {
      plan: (req, signal) => ports.plan(req, signal),
      place: async (req, signal) => (this.#placement = await ports.place(req, signal)),
      generate: (placement, req, signal) => ports.generate(placement, req, signal),
      score: (req, signal) => ports.score(req, signal),
    };
  }

  /** The text the client may see of `chunks`; returns the generation (only the judged prefix when rejected). */
  async *stream(chunks: AsyncGenerator<string, Generation>): AsyncGenerator<string, Generation> {
    const { tokens: limit, tokenizer } = this.#opts;
    let ended = false;
    try {
      const held: string[] = [];
      let heldTokens = 0;
      let next = await chunks.next();
      while (next.done !== true) {
        held.push(next.value);
        heldTokens += tokenizer.measure(next.value).tokens;
        if (heldTokens >= limit) break;
        next = await chunks.next();
      }
      if (next.done === true) {
        ended = true;
        const gen = next.value;
        this.verdict = await this.#judge(gen.text, gen.completionTokens, gen.finishReason);
        if (this.verdict.accept && gen.text !== "") yield gen.text;
        return gen;
      }
      const prefix = held.join("");
      // The worker keeps generating while the judge reads: accepted, the
      // tokens that piled up meanwhile leave at once.
      this.verdict = await this.#judge(prefix, heldTokens, "");
      if (!this.verdict.accept) return this.#stopped(prefix, heldTokens);
      yield prefix;
      next = await chunks.next();
      while (next.done !== true) {
        yield next.value;
        next = await chunks.next();
      }
      ended = true;
      return next.value;
    } finally {
      // Rejected, or our consumer stopped reading: cancel the worker stream.
      if (!ended) await closeQuietly(chunks);
    }
  }

  #judge(response: string, completionTokens: number, finishReason: string): Promise<QualityScore> {
    const o = this.#opts;
    return context.with(o.ctx, () =>
      this.#ports.score(
        { requestId: o.requestId, tier: o.tier, prompt: o.prompt, response, threshold: o.threshold, completionTokens, finishReason },
        o.signal,
      ),
    );
  }

  /** What a rung cancelled on a rejected prefix cost: the prompt and the tokens generated before the verdict. */
  #stopped(prefix: string, completionTokens: number): Generation {
    const placement = this.#placement;
    if (placement === undefined) throw new Error("early rung: text arrived before a placement");
    return {
      placement,
      text: prefix,
      promptTokens: this.#opts.promptTokens,
      completionTokens,
      cachedPromptTokens: placement.cachedPrefixTokens,
      finishReason: "cancelled",
    };
  }
}
