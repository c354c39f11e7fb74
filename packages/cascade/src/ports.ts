import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  GenerateTokensRequestSchema,
  GenerateTokensResponse,
  PlaceRequestSchema,
  Placement,
  PlanRequestSchema,
  QualityScore,
  RoutePlan,
  ScoreRequestSchema,
  WarmRequestSchema,
  WarmResponse,
} from "@weir/proto";

/**
 * Everything the cascade talks to, as four calls and an optional fifth. The
 * gateway wires them to NATS (router, scheduler, qe-judge, kv-cache-manager)
 * and gRPC (workers); tests use in-memory fakes. Every port must honour its
 * signal (stop work, reject or end the stream) and fail with a WeirError.
 */
export interface CascadePorts {
  /** Router: the ladder of tiers to try and the QE threshold at each rung. */
  plan(req: MessageInitShape<typeof PlanRequestSchema>, signal: AbortSignal): Promise<RoutePlan>;
  /** Scheduler: one instance of a tier for this generation. */
  place(req: MessageInitShape<typeof PlaceRequestSchema>, signal: AbortSignal): Promise<Placement>;
  /** Worker: the token stream; the last message carries finish_reason and usage. */
  generate(
    placement: Placement,
    req: MessageInitShape<typeof GenerateTokensRequestSchema>,
    signal: AbortSignal,
  ): AsyncIterable<GenerateTokensResponse>;
  /** QE judge: is this answer good enough for this rung's threshold? */
  score(req: MessageInitShape<typeof ScoreRequestSchema>, signal: AbortSignal): Promise<QualityScore>;
  /**
   * kv-cache-manager: prefill the prompt on an instance of the next rung's
   * tier ahead of a likely escalation (PlanStep.warm_up). Answers once the
   * warm-up started or was skipped; the cascade never waits for it. Absent:
   * warm-ups are not asked for.
   */
  warm?(req: MessageInitShape<typeof WarmRequestSchema>, signal: AbortSignal): Promise<WarmResponse>;
  /**
   * Conversation state (SERR-CASCADE L0/L2 memory): told about every turn
   * that completed, generated or reused, so the router can plan the
   * conversation's next turn from it. Called as the answer is handed to the
   * client and never awaited: it must not throw, and a lost record only costs
   * the next turn its memory. Absent: conversations have no state.
   */
  recordTurn?(turn: CompletedTurn): void;
}

/** A turn the cascade answered, as recordTurn hears of it. */
export interface CompletedTurn {
  requestId: string;
  /** GenerationInput.conversation_id ("" when the client gave none: the store derives one from the messages). */
  conversationId: string;
  /** The request's messages (or, without them, the prompt as one user message). */
  messages: { role: string; content: string }[];
  /** The question this turn asked: the last user message. */
  question: string;
  answer: string;
  tier: string;
  /** The cascade escalated, or the risk override started it at the strongest tier. */
  escalated: boolean;
  risk: number;
  riskRules: string[];
  reused: boolean;
}
