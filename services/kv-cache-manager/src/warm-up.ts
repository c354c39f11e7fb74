// Escalation warm-up: prefill a prompt on the instance of the next tier that
// an escalated request is likely to land on, while the current tier answers,
// so that the escalation pays only for the tokens not yet cached.
//
// WIRING (for kv-cache-manager-service.ts): build one per process, after the
// prefix index, and serve its handler as the `warm` endpoint:
//
//   const warmUp = createWarmUp({ bus: ctx.bus, index, log: ctx.log, maxInFlight: 8,
//     onOutcome: (o) => warmUps.inc({ tier: o.tier, outcome: o.outcome }) });
//   handlers: { match: …, warm: (req) => warmUp.handle(req) }
//   stop(): warmUp.close() (before svc.stop(): cancels the prefills in flight)
//
// with a prom-client Counter `warmUps` labelled tier and outcome (the
// outcomes are WarmUpOutcome["outcome"]), and optionally a Gauge reading
// warmUp.inFlight().

import type { MessageInitShape } from "@bufbuild/protobuf";
import { ServicePrefix, createServiceClient, type Bus } from "@weir/bus";
import { ErrorCode, toWeirError } from "@weir/errors";
import { ClientPool } from "@weir/grpc";
import {
  SchedulerService,
  WorkerService,
  type GenerateTokensRequestSchema,
  type GenerateTokensResponse,
  type PlaceRequestSchema,
  type Placement,
  type WarmRequest,
  type WarmResponseSchema,
} from "@weir/proto";

export type WarmResponseInit = MessageInitShape<typeof WarmResponseSchema>;

/** Defaults: a budget small next to a tier's batch, and deadlines that keep a stale warm-up from lingering. */
export const WarmUpDefaults = {
  /** Warm-ups in flight across every tier (this process). */
  maxInFlight: 8,
  /** Deadline of one prefill stream: a warm-up that takes longer is too late to help. */
  deadlineMs: 10_000,
  /** Deadline of the scheduler's warm-up placement. */
  placeTimeoutMs: 200,
} as const;

/** What became of one warm-up request, for metrics. */
export interface WarmUpOutcome {
  tier: string;
  /**
   * cached: some instance already holds the whole prompt; busy: the budget
   * was spent; no_idle_instance: the scheduler refused (RESOURCE_EXHAUSTED);
   * too_short: the prompt has no full KV block; started: a prefill began;
   * completed / failed: how a started prefill ended.
   */
  outcome: "cached" | "busy" | "no_idle_instance" | "too_short" | "started" | "completed" | "failed";
  instanceId?: string;
  /** completed: prompt tokens the instance had to compute (prompt − already cached). */
  prefilledTokens?: number;
}

/** The prefix index as the warm-up reads it (PrefixIndex from @weir/kv-index fits). */
export interface WarmUpIndex {
  match(tier: string, hashes: bigint[]): { instanceId: string; matchedBlocks: number }[];
}

/** pino's shape, the part used here. */
export interface WarmUpLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The two calls a warm-up makes: a warm-up placement, and a prefill-only stream. */
export interface WarmUpPorts {
  /** SchedulerService.Place with warmup=true; RESOURCE_EXHAUSTED when no instance is idle enough. */
  place(req: MessageInitShape<typeof PlaceRequestSchema>): Promise<Placement>;
  /** WorkerService.GenerateTokens on the placed instance. */
  generate(
    placement: Placement,
    req: MessageInitShape<typeof GenerateTokensRequestSchema>,
    opts: { signal: AbortSignal; deadlineMs: number },
  ): AsyncIterable<GenerateTokensResponse>;
}

export interface WarmUpOptions {
  index: WarmUpIndex;
  log?: WarmUpLog | undefined;
  /** The global warm-up budget: warm-ups in flight at once (0: every warm-up is skipped). */
  maxInFlight?: number | undefined;
  deadlineMs?: number | undefined;
  onOutcome?: ((o: WarmUpOutcome) => void) | undefined;
}

export interface WarmUp {
  /** Answers a WarmRequest once the prefill has started or was skipped; never waits for the prefill. */
  handle(req: WarmRequest): Promise<WarmResponseInit>;
  /** Prefills started and not yet ended. */
  inFlight(): number;
  /** Cancels every prefill in flight (shutdown). */
  close(): void;
}

/**
 * The warm-up over the real transports: the scheduler over NATS, workers
 * over gRPC (one pooled channel per worker address).
 */
export function createWarmUp(opts: WarmUpOptions & { bus: Bus; placeTimeoutMs?: number | undefined }): WarmUp {
  const scheduler = createServiceClient(opts.bus, SchedulerService, ServicePrefix.scheduler, {
    timeoutMs: opts.placeTimeoutMs ?? WarmUpDefaults.placeTimeoutMs,
  });
  const workers = new ClientPool();
  const warmUp = createWarmUpWith(
    {
      async place(req) {
        const res = await scheduler.place(req);
        if (!res.placement) throw new Error("the scheduler answered a warm-up placement without a placement");
        return res.placement;
      },
      generate: (placement, req, o) => workers.get(WorkerService, placement.address).generateTokens(req, o),
    },
    opts,
  );
  return {
    handle: (req) => warmUp.handle(req),
    inFlight: () => warmUp.inFlight(),
    close() {
      warmUp.close();
      workers.close();
    },
  };
}

/**
 * The warm-up over any ports (tests use fakes). For one request:
 *
 * 1. a prompt without a full KV block has nothing to cache: skip;
 * 2. an instance of the tier already holds every block (the global index):
 *    skip, the escalation will be placed there;
 * 3. warm-ups in flight ≥ maxInFlight: skip (one global budget, so
 *    warm-ups never become a tier's main load);
 * 4. ask the scheduler for a warm-up placement, which it refuses with
 *    RESOURCE_EXHAUSTED when no instance is idle enough: skip;
 * 5. start GenerateTokens with prefill_only on that instance, in the
 *    background, with a deadline; it counts against the budget until its
 *    stream ends.
 *
 * Skips are answers (started=false, with the reason), not errors; a failure
 * of the scheduler other than RESOURCE_EXHAUSTED is thrown, so the caller
 * counts it as a failure.
 */
export function createWarmUpWith(ports: WarmUpPorts, opts: WarmUpOptions): WarmUp {
  const maxInFlight = opts.maxInFlight ?? WarmUpDefaults.maxInFlight;
  const deadlineMs = opts.deadlineMs ?? WarmUpDefaults.deadlineMs;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 0)) throw new RangeError(`maxInFlight must be a whole number ≥ 0, got ${maxInFlight}`);
  if (!(deadlineMs > 0)) throw new RangeError(`deadlineMs must be > 0, got ${deadlineMs}`);
  const running = new Set<AbortController>();
  // Slots taken, placements under way included, so concurrent requests cannot overshoot the budget.
  let reserved = 0;

  const report = (o: WarmUpOutcome): void => {
    try {
      opts.onOutcome?.(o);
    } catch {
      // Metrics must not break warm-ups.
    }
  };
  const skip = (tier: string, outcome: WarmUpOutcome["outcome"], reason: string, extra: { instanceId?: string; cachedBlocks?: number } = {}): WarmResponseInit => {
    report({ tier, outcome, ...(extra.instanceId === undefined ? {} : { instanceId: extra.instanceId }) });
    return { started: false, reason, ...extra };
  };

  async function prefill(placement: Placement, req: WarmRequest, controller: AbortController): Promise<void> {
    const tier = req.tier;
    try {
      let prefilledTokens: number | undefined;
      const stream = ports.generate(
        placement,
        {
          requestId: req.requestId === "" ? "warm-up" : `${req.requestId}/warm-up`,
          tier,
          messages: req.messages,
          prompt: req.prompt,
          prefillOnly: true,
        },
        { signal: controller.signal, deadlineMs },
      );
      for await (const msg of stream) {
        if (msg.usage) prefilledTokens = Math.max(0, msg.usage.promptTokens - msg.usage.cachedPromptTokens);
      }
      report({ tier, outcome: "completed", instanceId: placement.instanceId, ...(prefilledTokens === undefined ? {} : { prefilledTokens }) });
      opts.log?.debug({ requestId: req.requestId, tier, instance: placement.instanceId, prefilledTokens }, "warm-up prefill done");
    } catch (err) {
      report({ tier, outcome: "failed", instanceId: placement.instanceId });
      if (!controller.signal.aborted) {
        opts.log?.warn({ err: toWeirError(err, "kv-cache-manager"), requestId: req.requestId, tier, instance: placement.instanceId }, "warm-up prefill failed");
      }
    } finally {
      running.delete(controller);
      reserved--;
    }
  }

  return {
    async handle(req) {
      const tier = req.tier;
      const hashes = req.blockHashes;
      if (hashes.length === 0) return skip(tier, "too_short", "the prompt is shorter than one KV block: nothing to cache");
      const matches = opts.index.match(tier, hashes);
      const best = matches.reduce<{ instanceId: string; matchedBlocks: number } | undefined>(
        (b, m) => (b === undefined || m.matchedBlocks > b.matchedBlocks ? m : b),
        undefined,
      );
      if (best !== undefined && best.matchedBlocks >= hashes.length) {
        return skip(tier, "cached", `already cached: ${best.instanceId} holds all ${hashes.length} blocks of the prompt`, {
          instanceId: best.instanceId,
          cachedBlocks: best.matchedBlocks,
        });
      }
      if (reserved >= maxInFlight) {
        return skip(tier, "busy", `warm-up budget spent: ${reserved} warm-ups in flight (at most ${maxInFlight})`);
      }
      reserved++;
      let placement: Placement;
      try {
        placement = await ports.place({ requestId: req.requestId, tier, promptTokens: req.promptTokens, blockHashes: hashes, warmup: true });
      } catch (err) {
        reserved--;
        const e = toWeirError(err, "kv-cache-manager");
        if (e.code === ErrorCode.RESOURCE_EXHAUSTED) return skip(tier, "no_idle_instance", `no idle instance: ${e.message}`);
        throw e;
      }
      const cachedBlocks = matches.find((m) => m.instanceId === placement.instanceId)?.matchedBlocks ?? 0;
      const controller = new AbortController();
      running.add(controller);
      report({ tier, outcome: "started", instanceId: placement.instanceId });
      void prefill(placement, req, controller);
      return {
        started: true,
        instanceId: placement.instanceId,
        cachedBlocks,
        reason: `prefilling ${hashes.length - cachedBlocks} of ${hashes.length} blocks on ${placement.instanceId} (${placement.reason || placement.policy})`,
      };
    },
    inFlight: () => reserved,
    close() {
      for (const c of running) c.abort();
    },
  };
}
