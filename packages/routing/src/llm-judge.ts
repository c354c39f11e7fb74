import { create } from "@bufbuild/protobuf";
import { ErrorCode, WeirError } from "@weir/errors";
import { type QualityScore, type ScoreRequest, QualityScoreSchema } from "@weir/proto";
import { lastUserTurn } from "./query-text.js";

/** The scorer name the LLM judge writes into every score. */
export const LLM_JUDGE_SCORER = "llm-judge-v1";

export const DEFAULT_RUBRIC =
  "You grade answers. Given a question and an answer, estimate the probability that the answer is correct and complete. " +
  "Check any arithmetic step by step. Reply with only a number between 0 and 1.";

export interface LlmJudgeOptions {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1. */
  readonly baseUrl: string;
  readonly model: string;
  readonly rubric?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch;
}

interface ChatResponse {
  choices?: { message?: { content?: string | null } }[];
}

/**
 * OPTIONAL judge (off by default): asks a judge model over the OpenAI chat
 * API for the probability that an answer is acceptable, with a rubric. It
 * costs a model call per judged rung, which is what the trained QE exists to
 * avoid; it is here for comparison and for tasks without labels.
 */
export class LlmJudge {
  readonly #o: LlmJudgeOptions;

  constructor(opts: LlmJudgeOptions) {
    this.#o = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, "") };
  }

  /** The judge model's probability that `response` answers `question` acceptably. */
  async probability(question: string, response: string, signal?: AbortSignal): Promise<number> {
    const url = `${this.#o.baseUrl}/chat/completions`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.#o.apiKey !== undefined) headers.authorization = `Bearer ${this.#o.apiKey}`;
    const timeout = AbortSignal.timeout(this.#o.timeoutMs ?? 30_000);
    const res = await (this.#o.fetch ?? fetch)(url, {
      method: "POST",
      headers,
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      body: JSON.stringify({
        model: this.#o.model,
        temperature: 0,
        max_tokens: 8,
        messages: [
          { role: "system", content: this.#o.rubric ?? DEFAULT_RUBRIC },
          { role: "user", content: `Question:\n${question}\n\nAnswer:\n${response}\n\nProbability the answer is correct:` },
        ],
      }),
    }).catch((err: unknown) => {
      throw WeirError.unavailable(`the judge model at ${url} did not answer (${err instanceof Error ? err.message : String(err)})`);
    });
    if (!res.ok) throw new WeirError(ErrorCode.UNAVAILABLE, `the judge model at ${url} answered HTTP ${res.status}`);
    const body = (await res.json()) as ChatResponse;
    const text = body.choices?.[0]?.message?.content ?? "";
    const m = /(?:^|[^\d])(1(?:\.0+)?|0(?:\.\d+)?|\.\d+)/.exec(text);
    if (m === null) throw WeirError.internal(`the judge model replied ${JSON.stringify(text.slice(0, 60))}, not a probability`);
    return Math.min(1, Math.max(0, Number(m[1])));
  }

  async score(req: Pick<ScoreRequest, "prompt" | "response" | "threshold">, signal?: AbortSignal): Promise<QualityScore> {
    const p = await this.probability(lastUserTurn(req.prompt), req.response, signal);
    const accept = p >= req.threshold;
    return create(QualityScoreSchema, {
      score: p,
      accept,
      threshold: req.threshold,
      scorer: LLM_JUDGE_SCORER,
      reason: `judge model ${this.#o.model} gives ${p.toFixed(2)} ${accept ? "≥" : "<"} threshold ${req.threshold.toFixed(2)}: ${accept ? "accepted" : "rejected"}`,
    });
  }
}
