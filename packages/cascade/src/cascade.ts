import { create } from "@bufbuild/protobuf";
import { SpanStatusCode, context, trace, type Span } from "@opentelemetry/api";
import { ErrorCode, WeirError, toWeirError } from "@weir/errors";
import {
  CascadeInfoSchema,
  CascadeStepSchema,
  GenerateResponseSchema,
  UsageSchema,
  type CascadeStep,
  type GenerateResponse,
  type GenerationInput,
  type PlanStep,
  type QualityScore,
  type RoutePlan,
  type TurnReuse,
} from "@weir/proto";
import { abortError, runSignal } from "./abort.js";
import { generationCostUsd } from "./cost.js";
import type { CascadePorts, CompletedTurn } from "./ports.js";
import { approximateTokenizer, type PromptTokenizer } from "./prompt-tokenizer.js";
import { Attr, SpanNames } from "@weir/telemetry/semconv";
import { closeQuietly, generateOnTier, type Generation } from "./tier-generation.js";
import { DEFAULT_EARLY_JUDGE_TOKENS, EarlyRung } from "./early-streaming.js";
import { planTargets, streamingPolicyOf, validateTargets, type StreamingPolicyName } from "./request-targets.js";
import type { CascadeTier } from "./tiers.js";
import { AUTO_MODEL, validateInput } from "./validate-input.js";
import { fireWarmUp, type WarmUpReport } from "./warm-up.js";
import { offerShadow, type ShadowVerifier } from "./shadow-verification.js";

export interface CascadeOptions {
  /** Every tier, cheapest first. */
  tiers: readonly CascadeTier[];
  /** Deadline for a whole run; DEADLINE_EXCEEDED when it passes. None when unset. */
  requestTimeoutMs?: number;
  /** Placements per rung when workers fail before their first token (default 2). */
  maxPlacementAttempts?: number;
  /** How prompts become text and tokens (default: an approximation). */
  tokenizer?: PromptTokenizer;
  /** Told what became of each escalation warm-up the cascade asked for (the gateway counts them). */
  onWarmUp?: (report: WarmUpReport) => void;
  /** L4 shadow verification of accepted judged answers (absent: none; shadow-verification.ts). */
  shadow?: ShadowVerifier;
  /** How judged rungs stream when a request names no policy (gateway.streamingPolicy; default "buffered"). */
  streamingPolicy?: StreamingPolicyName;
  /** Tokens the judge reads before an `early` rung streams (gateway.earlyJudgeTokens; default 32). */
  earlyJudgeTokens?: number;
}

export interface CascadeRunOptions {
  /** Aborted when the client goes away: stops whatever runs, worker streams included. */
  signal: AbortSignal;
  requestId: string;
  /**
   * Whether the client reads the answer as it is generated (default true).
   * The final rung then asks the worker for up to STREAMING_TOKENS_PER_MESSAGE
   * tokens per message (one each while the client keeps up); when it does
   * not, and on every judged rung (whose text is held until the verdict), up
   * to COALESCED_TOKENS_PER_MESSAGE: fewer frames, same text.
   */
  stream?: boolean;
}

/**
 * Most tokens per worker message when nobody reads them one by one (a
 * non-streaming client, or a judged rung, whose text waits for the verdict).
 */
export const COALESCED_TOKENS_PER_MESSAGE = 256;

/**
 * Most tokens per worker message for a streaming client on the final rung.
 * Workers never wait to fill a message (see max_tokens_per_message in
 * worker.proto): at an engine's pace every message still carries one token,
 * so time to first token and the gaps between tokens are what they would be
 * with 1. Only when the gateway or the client falls behind do the tokens
 * that piled up leave together, in one gRPC message and one SSE event
 * instead of up to 16. The work per message (framing, encoding, a write
 * syscall per SSE event) dominates the gateway's CPU when it streams, and
 * 16 tokens per message already removes most of it (`pnpm bench:stream`:
 * full messages of ≤ 16 gave ~93 % of the worker's throughput with ≤ 256),
 * while a client that fell behind still gets its text in steps of a few
 * words rather than in one burst.
 */
export const STREAMING_TOKENS_PER_MESSAGE = 16;

/**
 * What a run yields. A delta is text the client may see: only the accepted
 * answer's text ever becomes a delta, never a rejected one. The run ends with
 * exactly one done event (or throws a WeirError).
 */
export type CascadeEvent =
  | { type: "delta"; text: string; tier: string }
  | { type: "done"; response: GenerateResponse };

export interface Cascade {
  run(input: GenerationInput, opts: CascadeRunOptions): AsyncGenerator<CascadeEvent, void, undefined>;
}

const tracer = trace.getTracer("@weir/cascade");

/**
 * The cascade executor: plan → for each rung: place → generate → judge →
 * accept or escalate. The last rung is accepted without judging.
 *
 * Streaming is "buffered": a judged rung's text is held until the judge
 * accepts it and then released as one delta; the last rung's text streams
 * through as the worker produces it. So a client never sees text that is
 * later withdrawn, and the common path (no judge on the last rung) is live.
 */
export function createCascade(ports: CascadePorts, opts: CascadeOptions): Cascade {
  const tiers = new Map(opts.tiers.map((t) => [t.name, t]));
  const models: ReadonlySet<string> = new Set([AUTO_MODEL, ...tiers.keys()]);
  const maxPlacementAttempts = opts.maxPlacementAttempts ?? 2;
  const tokenizer = opts.tokenizer ?? approximateTokenizer;

  function tierOf(step: PlanStep): CascadeTier {
    const tier = tiers.get(step.tier);
    if (tier === undefined) {
      throw WeirError.internal(
        `the router planned tier "${step.tier}", which this gateway does not know ` +
          `(${[...tiers.keys()].join(", ")}): the router and gateway configurations disagree`,
      );
    }
    return tier;
  }

  async function* run(
    input: GenerationInput,
    { signal: callerSignal, requestId, stream: clientStreams = true }: CascadeRunOptions,
  ): AsyncGenerator<CascadeEvent, void, undefined> {
    const span = tracer.startSpan(SpanNames.cascade, {
      attributes: { [Attr.requestId]: requestId, [Attr.requestModel]: input.model },
    });
    const runCtx = trace.setSpan(context.active(), span);
    const { signal, dispose } = runSignal(callerSignal, opts.requestTimeoutMs);
    try {
      validateInput(input, models);
      validateTargets(input);
      const policy = streamingPolicyOf(input, opts.streamingPolicy ?? "buffered");
      const prompt = input.messages.length > 0 ? tokenizer.flatten(input.messages) : input.prompt;
      const { tokens: promptTokens, blockHashes } = tokenizer.measure(prompt);

      const plan = await context.with(runCtx, () =>
        ports.plan(
          { requestId, model: input.model, messages: input.messages, prompt: input.prompt, promptTokens, conversationId: input.conversationId, ...planTargets(input) },
          signal,
        ),
      );
      span.setAttributes({ [Attr.routeReason]: plan.reason, [Attr.routePolicy]: plan.policy, ...routeLayerAttributes(plan) });
      // L0 turn delta: the router found this turn in the conversation's state.
      if (plan.reuse !== undefined) {
        yield* answerFromState(plan, plan.reuse, input, requestId);
        return;
      }
      if (plan.steps.length === 0) {
        throw WeirError.internal(`the router returned an empty plan for model "${input.model}"`);
      }

      const path: CascadeStep[] = [];
      let totalCostUsd = 0;
      for (let i = 0; i < plan.steps.length; i++) {
        const step = plan.steps[i] as PlanStep;
        const tier = tierOf(step);
        const isLastRung = i === plan.steps.length - 1;
        // `early`: a judged rung's prefix is judged, then the rest streams live (early-streaming.ts).
        const streamsLive = isLastRung || policy === "early";
        const stepSpan = tracer.startSpan(
          SpanNames.cascadeStep,
          { attributes: { [Attr.tier]: tier.name, [Attr.qeThreshold]: step.qeThreshold } },
          runCtx,
        );
        const stepCtx = trace.setSpan(runCtx, stepSpan);
        // Escalation warm-up: the router expects this rung to be rejected, so
        // the next rung's tier prefills the prompt while this one answers.
        // Fire and forget: it never delays or fails the request.
        const next = plan.steps[i + 1];
        if (next?.warmUp === true) {
          fireWarmUp(
            ports,
            { requestId, tier: next.tier, messages: input.messages, prompt: input.prompt, promptTokens, blockHashes },
            { signal, ctx: runCtx, span, onReport: opts.onWarmUp },
          );
        }
        try {
          const early =
            policy === "early" && !isLastRung
              ? new EarlyRung(ports, {
                  requestId, tier: tier.name, prompt, threshold: step.qeThreshold, promptTokens,
                  tokens: opts.earlyJudgeTokens ?? DEFAULT_EARLY_JUDGE_TOKENS, tokenizer, signal, ctx: stepCtx,
                })
              : undefined;
          // Messages as the engine produces them wherever someone reads them
          // before the end: the streaming client, or an early judge counting N tokens.
          const liveMessages = early !== undefined || (isLastRung && clientStreams);
          const generation = generateOnTier(
            early?.observed() ?? ports,
            {
              requestId,
              tier: tier.name,
              worker: {
                requestId,
                tier: tier.name,
                messages: input.messages,
                prompt: input.prompt,
                maxTokens: input.maxTokens ?? 0,
                maxTokensPerMessage: liveMessages ? STREAMING_TOKENS_PER_MESSAGE : COALESCED_TOKENS_PER_MESSAGE,
                // Nobody reads a held rung's or a non-streaming answer's tokens
                // before the end: let the worker fill its messages.
                fillMessages: !liveMessages,
                stop: input.stop,
                ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
              },
              promptTokens,
              blockHashes,
            },
            { maxPlacementAttempts, signal, ctx: stepCtx, span: stepSpan },
          );
          const chunks = early?.stream(generation) ?? generation;
          // The last rung streams through; a judged rung's text waits for the verdict.
          let gen: Generation | undefined;
          try {
            let next = await chunks.next();
            while (next.done !== true) {
              if (streamsLive) yield { type: "delta", text: next.value, tier: tier.name };
              next = await chunks.next();
            }
            gen = next.value;
          } finally {
            // Our consumer stopped reading mid-stream: stop the worker stream too.
            if (gen === undefined) await closeQuietly(chunks);
          }
          const costUsd = generationCostUsd(tier.pricing, gen.promptTokens, gen.completionTokens);
          totalCostUsd += costUsd;

          let verdict: QualityScore | undefined;
          if (!isLastRung) {
            verdict = early?.verdict ?? await context.with(stepCtx, () =>
              ports.score(
                {
                  requestId,
                  tier: tier.name,
                  prompt,
                  response: gen.text,
                  threshold: step.qeThreshold,
                  completionTokens: gen.completionTokens,
                  finishReason: gen.finishReason,
                },
                signal,
              ),
            );
          }
          const accepted = verdict === undefined || verdict.accept;
          path.push(
            create(CascadeStepSchema, {
              tier: tier.name,
              instanceId: gen.placement.instanceId,
              ...(verdict === undefined ? {} : { qeScore: verdict.score }),
              qeThreshold: step.qeThreshold,
              accepted,
              promptTokens: gen.promptTokens,
              completionTokens: gen.completionTokens,
              costUsd,
              cachedPromptTokens: gen.cachedPromptTokens,
            }),
          );
          stepSpan.setAttributes({
            [Attr.instanceId]: gen.placement.instanceId,
            [Attr.qeAccepted]: accepted,
            [Attr.escalated]: !accepted,
            [Attr.costUsd]: costUsd,
            [Attr.inputTokens]: gen.promptTokens,
            [Attr.outputTokens]: gen.completionTokens,
            ...(verdict === undefined ? {} : { [Attr.qeScore]: verdict.score }),
          });
          if (!accepted) continue;

          if (!streamsLive && gen.text !== "") yield { type: "delta", text: gen.text, tier: tier.name };
          const response = create(GenerateResponseSchema, {
            id: requestId,
            model: input.model,
            text: gen.text,
            finishReason: gen.finishReason,
            usage: create(UsageSchema, {
              promptTokens: gen.promptTokens,
              completionTokens: gen.completionTokens,
              totalTokens: gen.promptTokens + gen.completionTokens,
              cachedPromptTokens: gen.cachedPromptTokens,
            }),
            cascade: create(CascadeInfoSchema, {
              tier: tier.name,
              path,
              escalated: path.length > 1,
              ...(verdict === undefined ? {} : { qeScore: verdict.score }),
              costUsd: totalCostUsd,
              routeReason: plan.reason,
              ...(plan.risk === undefined ? {} : { risk: plan.risk }),
              targetsNote: plan.targetsNote,
              streamingPolicy: policy,
            }),
          });
          span.setAttributes({
            [Attr.tier]: tier.name,
            [Attr.escalated]: path.length > 1,
            [Attr.costUsd]: totalCostUsd,
            [Attr.inputTokens]: gen.promptTokens,
            [Attr.outputTokens]: gen.completionTokens,
            ...(verdict === undefined ? {} : { [Attr.qeScore]: verdict.score }),
          });
          if (hasConversation(input)) ports.recordTurn?.(completedTurn(input, requestId, gen.text, tier.name, path.length > 1 || plan.risk?.overridden === true, plan, false));
          yield { type: "done", response };
          // L4: runs only once the consumer came back after done, i.e. the client has its answer.
          if (verdict !== undefined) offerShadow(opts.shadow, { requestId, input, prompt, promptTokens, blockHashes, next: plan.steps[i + 1], step, gen, verdict });
          return;
        } catch (err) {
          throw recordFailure(stepSpan, err, signal);
        } finally {
          stepSpan.end();
        }
      }
      // Unreachable: the last rung is always accepted.
      throw WeirError.internal("the cascade ran out of rungs without accepting an answer");
    } catch (err) {
      throw recordFailure(span, err, signal);
    } finally {
      dispose();
      span.end();
    }
  }

  /**
   * The reuse short-circuit: the stored answer is the response, nothing is
   * placed or generated. CascadeInfo.reused is set, the path is empty (no
   * step ran), the tier is the one that generated the stored text, cost and
   * usage are zero. The turn is recorded too, so the conversation's state
   * follows it to the next turn.
   */
  async function* answerFromState(
    plan: RoutePlan,
    reuse: TurnReuse,
    input: GenerationInput,
    requestId: string,
  ): AsyncGenerator<CascadeEvent, void, undefined> {
    if (reuse.text !== "") yield { type: "delta", text: reuse.text, tier: reuse.tier };
    const response = create(GenerateResponseSchema, {
      id: requestId,
      model: input.model,
      text: reuse.text,
      finishReason: "stop",
      usage: create(UsageSchema, {}),
      cascade: create(CascadeInfoSchema, {
        tier: reuse.tier,
        path: [],
        escalated: false,
        costUsd: 0,
        routeReason: plan.reason,
        reused: true,
        ...(plan.risk === undefined ? {} : { risk: plan.risk }),
      }),
    });
    if (hasConversation(input)) ports.recordTurn?.(completedTurn(input, requestId, reuse.text, reuse.tier, false, plan, true));
    yield { type: "done", response };
  }

  return { run };
}

/** The router's layer decisions as span attributes: which risk rule fired, whether the turn was reused. */
function routeLayerAttributes(plan: RoutePlan): Record<string, string | number | boolean> {
  return {
    [Attr.routeReused]: plan.reuse !== undefined,
    ...(plan.risk === undefined
      ? {}
      : {
          [Attr.routeRiskScore]: plan.risk.score,
          [Attr.routeRiskRules]: plan.risk.rules.join(","),
          [Attr.routeRiskOverridden]: plan.risk.overridden,
        }),
  };
}

/**
 * Whether a later turn can find this one's state: a chat (its history keys
 * the state) or a request naming its conversation. A plain completion
 * without an id has no next turn, so recording it would only be a write
 * nobody reads.
 */
function hasConversation(input: GenerationInput): boolean {
  return input.messages.length > 0 || input.conversationId !== "";
}

/** What recordTurn stores of a completed turn (see CascadePorts.recordTurn). */
function completedTurn(
  input: GenerationInput,
  requestId: string,
  answer: string,
  tier: string,
  escalated: boolean,
  plan: RoutePlan,
  reused: boolean,
): CompletedTurn {
  const messages = input.messages.length > 0 ? input.messages.map((m) => ({ role: m.role, content: m.content })) : [{ role: "user", content: input.prompt }];
  const question = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  return {
    requestId,
    conversationId: input.conversationId,
    messages,
    question,
    answer,
    tier,
    escalated,
    risk: plan.risk?.score ?? 0,
    riskRules: [...(plan.risk?.rules ?? [])],
    reused,
  };
}

/**
 * The run's error as a WeirError, recorded on the span. Once the signal fired
 * its reason wins over whatever the interrupted call threw. A cancelled
 * request is not a failure of the system, so it does not mark the span as one.
 */
function recordFailure(span: Span, err: unknown, signal: AbortSignal): WeirError {
  const error = signal.aborted ? abortError(signal) : toWeirError(err, "gateway");
  span.setAttribute(Attr.errorType, ErrorCode[error.code] ?? "UNSPECIFIED");
  if (error.code !== ErrorCode.CANCELLED) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  return error;
}
