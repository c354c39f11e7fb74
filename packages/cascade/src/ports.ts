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
}
