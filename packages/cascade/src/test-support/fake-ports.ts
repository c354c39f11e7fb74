// Test support: CascadePorts in memory. Each tier has instances and a scripted
// answer; instances can be told to fail before or after their first message,
// or to stall (until their signal aborts) after it.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { trace } from "@opentelemetry/api";
import { WeirError } from "@weir/errors";
import {
  GenerateTokensResponseSchema,
  PlacementSchema,
  QualityScoreSchema,
  RoutePlanSchema,
  UsageSchema,
  type GenerateTokensRequestSchema,
  type GenerateTokensResponse,
  type PlaceRequestSchema,
  type PlanRequestSchema,
  type ScoreRequestSchema,
} from "@weir/proto";
import type { CascadePorts } from "../ports.js";

export interface FakeTier {
  instances: string[];
  /** The answer, one worker message per piece. */
  pieces: string[];
  /** The judge's score for this tier's answer (accept when ≥ the threshold). */
  score?: number;
  usage?: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  finishReason?: string;
}

export type InstanceBehaviour =
  | "fail-before-first"
  | "fail-after-first"
  | "stall-after-first"
  | { failBeforeFirst: WeirError };

export interface FakeOptions {
  tiers: Record<string, FakeTier>;
  /** The ladder for "weir-auto": [tier, threshold] pairs. A tier name plans that tier only. */
  ladder: [string, number][];
  behaviour?: Record<string, InstanceBehaviour>;
  planError?: unknown;
  placeError?: unknown;
}

export interface FakeCalls {
  plan: MessageInitShape<typeof PlanRequestSchema>[];
  place: MessageInitShape<typeof PlaceRequestSchema>[];
  generate: { instanceId: string; req: MessageInitShape<typeof GenerateTokensRequestSchema> }[];
  score: MessageInitShape<typeof ScoreRequestSchema>[];
  /** Instances whose stream's finally ran (the stream was stopped or ended). */
  closed: string[];
  /** The active span id when each port was called, to check trace parenting. */
  activeSpans: { port: string; spanId: string | undefined }[];
  signals: AbortSignal[];
}

export function fakePorts(opts: FakeOptions): CascadePorts & { calls: FakeCalls } {
  const calls: FakeCalls = { plan: [], place: [], generate: [], score: [], closed: [], activeSpans: [], signals: [] };
  const note = (port: string, signal: AbortSignal): void => {
    calls.activeSpans.push({ port, spanId: trace.getActiveSpan()?.spanContext().spanId });
    calls.signals.push(signal);
  };
  const tierOf = (name: string): FakeTier => {
    const t = opts.tiers[name];
    if (t === undefined) throw new Error(`fake: no tier ${name}`);
    return t;
  };

  return {
    calls,
    async plan(req, signal) {
      note("plan", signal);
      calls.plan.push(req);
      if (opts.planError !== undefined) throw opts.planError;
      const steps =
        req.model === "weir-auto"
          ? opts.ladder.map(([tier, qeThreshold]) => ({ tier, qeThreshold }))
          : [{ tier: req.model ?? "", qeThreshold: 0 }];
      return create(RoutePlanSchema, { steps, reason: "fake ladder", policy: "fake" });
    },
    async place(req, signal) {
      note("place", signal);
      calls.place.push({ ...req, excludeInstanceIds: [...(req.excludeInstanceIds ?? [])] });
      if (opts.placeError !== undefined) throw opts.placeError;
      const tier = tierOf(req.tier ?? "");
      const instanceId = tier.instances.find((id) => !(req.excludeInstanceIds ?? []).includes(id));
      if (instanceId === undefined) throw WeirError.unavailable(`no instance of ${req.tier} left`);
      return create(PlacementSchema, { instanceId, tier: req.tier ?? "", address: `fake:${instanceId}` });
    },
    generate(placement, req, signal) {
      note("generate", signal);
      calls.generate.push({ instanceId: placement.instanceId, req });
      return stream(tierOf(placement.tier), placement.instanceId, opts.behaviour?.[placement.instanceId], signal, calls);
    },
    async score(req, signal) {
      note("score", signal);
      calls.score.push(req);
      const score = tierOf(req.tier ?? "").score ?? 1;
      const threshold = req.threshold ?? 0;
      return create(QualityScoreSchema, { score, accept: score >= threshold, threshold, scorer: "fake" });
    },
  };
}

async function* stream(
  tier: FakeTier,
  instanceId: string,
  behaviour: InstanceBehaviour | undefined,
  signal: AbortSignal,
  calls: FakeCalls,
): AsyncGenerator<GenerateTokensResponse> {
  try {
    await Promise.resolve();
    if (behaviour === "fail-before-first") throw WeirError.unavailable(`worker ${instanceId} is down`);
    if (typeof behaviour === "object") throw behaviour.failBeforeFirst;
    for (let i = 0; i < tier.pieces.length; i++) {
      const last = i === tier.pieces.length - 1;
      if (i === 1 && behaviour === "fail-after-first") throw WeirError.unavailable(`worker ${instanceId} crashed`);
      if (i === 1 && behaviour === "stall-after-first") await untilAborted(signal);
      yield create(GenerateTokensResponseSchema, {
        text: tier.pieces[i] ?? "",
        tokenCount: 1,
        finishReason: last ? (tier.finishReason ?? "stop") : "",
        ...(last
          ? {
              usage: create(UsageSchema, {
                promptTokens: tier.usage?.promptTokens ?? 10,
                completionTokens: tier.usage?.completionTokens ?? tier.pieces.length,
                cachedPromptTokens: tier.usage?.cachedPromptTokens ?? 0,
              }),
            }
          : {}),
      });
    }
  } finally {
    calls.closed.push(instanceId);
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(new Error("stream cancelled"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}
