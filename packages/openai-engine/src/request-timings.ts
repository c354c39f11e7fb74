import type { EngineUsage, FinishReason } from "@weir/engine";
import type { ErrorCode } from "@weir/errors";

/**
 * What one generation through the upstream measured, handed to
 * onRequestDone listeners (the model-worker turns it into Prometheus
 * histograms). Times are seconds, measured on this side of the connection:
 * network included, which is what a Weir client experiences.
 */
export interface RequestTimings {
  /** "chat" (messages) or "text" (legacy completions). */
  api: "chat" | "text";
  /** HTTP requests made: 1, plus one per retry before the first token. */
  attempts: number;
  /** From the first attempt's start to the first token; absent when no token came. */
  ttftSeconds?: number;
  /**
   * The gaps between tokens after the first. A network read that brings k
   * tokens after a gap g counts as k gaps of g/k.
   */
  interTokenSeconds: number[];
  /** From the first attempt's start to the end (finish, failure or cancel). */
  e2eSeconds: number;
  outcome: FinishReason | "error" | "cancelled";
  /** For outcome "error": the code the caller got. */
  errorCode?: ErrorCode;
  usage?: EngineUsage;
}

/** Collects one generation's timings as its tokens arrive. */
export class TimingRecorder {
  readonly #now: () => number;
  readonly #start: number;
  #last: number | undefined;
  #ttft: number | undefined;
  readonly #gaps: number[] = [];

  constructor(now: () => number) {
    this.#now = now;
    this.#start = now();
  }

  get sawToken(): boolean {
    return this.#last !== undefined;
  }

  /** `k` tokens arrived together just now. */
  tokens(k: number): void {
    if (k <= 0) return;
    const t = this.#now();
    if (this.#last === undefined) {
      this.#ttft = (t - this.#start) / 1000;
      for (let i = 1; i < k; i++) this.#gaps.push(0);
    } else {
      const gap = (t - this.#last) / 1000 / k;
      for (let i = 0; i < k; i++) this.#gaps.push(gap);
    }
    this.#last = t;
  }

  finish(
    api: RequestTimings["api"],
    attempts: number,
    outcome: RequestTimings["outcome"],
    extra: { errorCode?: ErrorCode; usage?: EngineUsage } = {},
  ): RequestTimings {
    return {
      api,
      attempts,
      ...(this.#ttft === undefined ? {} : { ttftSeconds: this.#ttft }),
      interTokenSeconds: this.#gaps,
      e2eSeconds: (this.#now() - this.#start) / 1000,
      outcome,
      ...extra,
    };
  }
}
