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
} from "@weir/proto";

/**
 * Everything the cascade talks to, as four calls. The gateway wires them to
 * NATS (router, scheduler, qe-judge) and gRPC (workers); tests use in-memory
 * fakes. Every port must honour its signal (stop work, reject or end the
 * stream) and fail with a WeirError.
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
}
