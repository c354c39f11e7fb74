import type { MessageInitShape } from "@bufbuild/protobuf";
import { ErrorCode, toWeirError } from "@weir/errors";
import type { ChatMessage, GenerationInput, PlanStep, QualityScore, RecordShadowRequestSchema } from "@weir/proto";
import type { CascadePorts } from "./ports.js";

/** What became of one offered shadow (the gateway counts them, the tests read them). */
export type ShadowOutcome =
  /** Generated on the next tier and sent to the judge. */
  | "recorded"
  /** Not drawn: only judge.shadow.fraction of accepted answers are shadowed. */
  | "not-sampled"
  /** Cancelled under load: maxInFlight shadows were already running. */
  | "cancelled-bound"
  /** Cancelled under load: the scheduler refused the best-effort placement (RESOURCE_EXHAUSTED: instances busy, or none free). */
  | "cancelled-refused"
  /** Placement, generation or the judge failed for another reason. */
  | "failed";

export interface ShadowReport {
  readonly outcome: ShadowOutcome;
  readonly requestId: string;
  readonly tier: string;
  readonly nextTier: string;
  readonly error?: string;
}

/** The accepted, judged rung a shadow verifies: everything needed to ask the next tier the same thing. */
export interface AcceptedRung {
  readonly requestId: string;
  readonly tier: string;
  readonly nextTier: string;
  readonly messages: readonly ChatMessage[];
  /** The raw prompt field of the request (used when there are no messages). */
  readonly prompt: string;
  /** The prompt as the tiers saw it (flattened), for the judge. */
  readonly flatPrompt: string;
  readonly promptTokens: number;
  readonly blockHashes: readonly bigint[];
  readonly maxTokens: number;
  readonly stop: readonly string[];
  readonly temperature?: number | undefined;
  readonly answer: string;
  readonly qeScore: number;
  readonly threshold: number;
}

export interface ShadowVerifierOptions {
  /** judge.shadow.fraction: share of accepted judged answers to shadow (0 = off). */
  readonly fraction: number;
  /** judge.shadow.maxInFlight: shadows running at once; more are cancelled, never queued. */
  readonly maxInFlight: number;
  /** Deadline of one shadow, so a stuck worker cannot hold a slot for ever (default 120 s). */
  readonly timeoutMs?: number;
  /** Uniform draw in [0, 1) (default Math.random; tests pass a fixed one). */
  readonly random?: () => number;
  readonly onReport?: (report: ShadowReport) => void;
}

/** The ports a shadow uses: the cascade's place and generate, and the judge's RecordShadow. */
export type ShadowPorts = Pick<CascadePorts, "place" | "generate"> & {
  recordShadow(req: MessageInitShape<typeof RecordShadowRequestSchema>, signal: AbortSignal): Promise<unknown>;
};

export interface ShadowVerifier {
  /**
   * Offers an accepted rung for shadowing. Returns at once: the shadow (if
   * drawn and admitted) runs as its own task, never awaited by the client's run.
   */
  offer(rung: AcceptedRung): void;
  /** Shadows running now. */
  readonly inFlight: number;
  /** Aborts every running shadow (shutdown). */
  stop(): void;
}

/**
 * L4 shadow verification, off the client path: a drawn fraction of accepted
 * judged answers is generated again by the plan's next tier and the pair is
 * sent to the qe-judge, which records agreement and recalibrates thresholds.
 *
 * Shadows are the first work to go under load. Placement is asked for as a
 * best-effort (warm-up) placement, which the scheduler refuses with
 * RESOURCE_EXHAUSTED rather than crowd out client traffic; and at most
 * maxInFlight run at once. Either way the shadow is dropped, not queued: a
 * missing sample only slows recalibration down.
 */
export function createShadowVerifier(ports: ShadowPorts, opts: ShadowVerifierOptions): ShadowVerifier {
  const random = opts.random ?? Math.random;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const running = new Set<AbortController>();
  const report = (rung: AcceptedRung, outcome: ShadowOutcome, error?: string): void =>
    opts.onReport?.({ outcome, requestId: rung.requestId, tier: rung.tier, nextTier: rung.nextTier, ...(error === undefined ? {} : { error }) });

  async function shadow(rung: AcceptedRung, ctl: AbortController): Promise<void> {
    const { signal } = ctl;
    const shadowId = `${rung.requestId}:shadow`;
    const placement = await ports.place(
      { requestId: shadowId, tier: rung.nextTier, promptTokens: rung.promptTokens, blockHashes: [...rung.blockHashes], warmup: true },
      signal,
    );
    let text = "";
    for await (const msg of ports.generate(
      placement,
      {
        requestId: shadowId,
        tier: rung.nextTier,
        messages: [...rung.messages],
        prompt: rung.prompt,
        maxTokens: rung.maxTokens,
        maxTokensPerMessage: 256,
        fillMessages: true,
        stop: [...rung.stop],
        ...(rung.temperature === undefined ? {} : { temperature: rung.temperature }),
      },
      signal,
    )) {
      text += msg.text;
    }
    await ports.recordShadow(
      {
        requestId: rung.requestId,
        tier: rung.tier,
        nextTier: rung.nextTier,
        prompt: rung.flatPrompt,
        acceptedResponse: rung.answer,
        shadowResponse: text,
        qeScore: rung.qeScore,
        threshold: rung.threshold,
      },
      signal,
    );
  }

  return {
    offer(rung) {
      if (!(random() < opts.fraction)) return report(rung, "not-sampled");
      if (running.size >= opts.maxInFlight) return report(rung, "cancelled-bound");
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(new Error(`shadow ran past ${timeoutMs} ms`)), timeoutMs);
      timer.unref?.();
      running.add(ctl);
      // Started on a later turn of the event loop, so that nothing of the
      // shadow (not even its placement call) runs inside the client's run.
      setImmediate(() => {
        shadow(rung, ctl).then(
          () => report(rung, "recorded"),
          (err: unknown) => {
            const e = toWeirError(err);
            report(rung, e.code === ErrorCode.RESOURCE_EXHAUSTED ? "cancelled-refused" : "failed", e.message);
          },
        ).finally(() => {
          clearTimeout(timer);
          running.delete(ctl);
        });
      });
    },
    get inFlight() {
      return running.size;
    },
    stop() {
      for (const ctl of running) ctl.abort(new Error("shadow verification stopped"));
    },
  };
}

/** What the cascade knows when a judged rung was accepted (see offerShadow). */
export interface AcceptedRunContext {
  readonly requestId: string;
  readonly input: GenerationInput;
  readonly prompt: string;
  readonly promptTokens: number;
  readonly blockHashes: readonly bigint[];
  /** The plan's next rung: the tier that shadows. */
  readonly next: PlanStep | undefined;
  readonly step: PlanStep;
  readonly gen: { readonly text: string };
  readonly verdict: QualityScore;
}

/** The cascade's hook: offers the accepted rung to the verifier, when there is one and a next rung to shadow on. */
export function offerShadow(verifier: ShadowVerifier | undefined, run: AcceptedRunContext): void {
  if (verifier === undefined || run.next === undefined) return;
  const { input } = run;
  verifier.offer({
    requestId: run.requestId,
    tier: run.step.tier,
    nextTier: run.next.tier,
    messages: input.messages,
    prompt: input.prompt,
    flatPrompt: run.prompt,
    promptTokens: run.promptTokens,
    blockHashes: run.blockHashes,
    maxTokens: input.maxTokens ?? 0,
    stop: input.stop,
    temperature: input.temperature,
    answer: run.gen.text,
    qeScore: run.verdict.score,
    threshold: run.verdict.threshold,
  });
}
