import { ServicePrefix, conversationKey, createServiceClient, nextConversationKey, type Bus, type ConversationStore } from "@weir/bus";
import type { CascadePorts } from "@weir/cascade";
import { WeirError } from "@weir/errors";
import { ClientPool } from "@weir/grpc";
import { KvCacheService, QualityService, RouterService, SchedulerService, WorkerService } from "@weir/proto";

export interface PortTimeouts {
  /** Deadline of one control call over NATS (plan, place, score). */
  controlMs: number;
  /** Deadline of one worker token stream over gRPC. */
  generateMs: number;
  /**
   * Deadline of one escalation warm-up request (default 500 ms): short,
   * because a warm-up that starts late helps nobody and nothing waits on it.
   */
  warmMs?: number;
}

export const DEFAULT_WARM_TIMEOUT_MS = 500;

/**
 * The cascade's hops, wired to the real transports: the router, the
 * scheduler, the QE judge and the kv-cache-manager (escalation warm-up) over
 * NATS request/reply, the chosen worker over a gRPC token stream (one pooled
 * channel per worker address).
 */
export function createCascadePorts(
  bus: Bus,
  timeouts: PortTimeouts,
  conversations?: { store: ConversationStore; onError(err: unknown): void },
): { ports: CascadePorts; close(): void } {
  const router = createServiceClient(bus, RouterService, ServicePrefix.router, { timeoutMs: timeouts.controlMs });
  const scheduler = createServiceClient(bus, SchedulerService, ServicePrefix.scheduler, { timeoutMs: timeouts.controlMs });
  const judge = createServiceClient(bus, QualityService, ServicePrefix.qe, { timeoutMs: timeouts.controlMs });
  const kv = createServiceClient(bus, KvCacheService, ServicePrefix.kv, { timeoutMs: timeouts.warmMs ?? DEFAULT_WARM_TIMEOUT_MS });
  const workers = new ClientPool();

  const ports: CascadePorts = {
    async plan(req, signal) {
      const res = await router.plan(req, { signal });
      if (!res.plan) throw WeirError.internal("the router answered without a plan");
      return res.plan;
    },
    async place(req, signal) {
      const res = await scheduler.place(req, { signal });
      if (!res.placement) throw WeirError.internal("the scheduler answered without a placement");
      return res.placement;
    },
    generate(placement, req, signal) {
      const worker = workers.get(WorkerService, placement.address);
      return worker.generateTokens(req, { signal, deadlineMs: timeouts.generateMs });
    },
    async score(req, signal) {
      const res = await judge.score(req, { signal });
      if (!res.score) throw WeirError.internal("the QE judge answered without a score");
      return res.score;
    },
    // Escalation warm-up (weir.kv.warm): the kv-cache-manager answers once the prefill started or was skipped.
    warm(req, signal) {
      return kv.warm(req, { signal });
    },
    // Conversation state (weir_conversations KV): read where the router read
    // it, stored where the next turn's router will look (conversation-state.ts in @weir/bus).
    ...(conversations === undefined
      ? {}
      : {
          recordTurn({ conversationId, messages, ...turn }) {
            const from = conversationKey(conversationId, messages);
            const to = nextConversationKey(conversationId, messages, turn.answer);
            conversations.store.append(from, to, turn).catch(conversations.onError);
          },
        }),
  };
  return { ports, close: () => workers.close() };
}
