import { conversationKey, openConversationStore } from "@weir/bus";
import type { PlanRequest, RoutePlan } from "@weir/proto";
import { type ConversationView, type Planner, RiskAwareRouter } from "@weir/routing";
import type { ServiceContext } from "@weir/service-kit";
import { Counter } from "prom-client";

/**
 * The router's conversation-aware layers: reads the conversation's state from
 * the weir_conversations KV bucket (written by the gateway when a turn
 * completes) and plans through RiskAwareRouter (L0 turn reuse, L2 risk,
 * escalation memory). The state is shared through NATS, so any replica can
 * plan any turn. State that cannot be read costs the turn its memory, never
 * the request: the turn is planned as a first turn.
 */
export async function openConversationPlanner(ctx: ServiceContext, inner: Planner): Promise<Planner> {
  const cfg = ctx.config.router;
  const store = await openConversationStore(ctx.bus, cfg.turnReuse.ttlMs);
  const router = new RiskAwareRouter(inner, {
    tiers: ctx.config.tiers,
    risk: cfg.risk,
    turnReuse: cfg.turnReuse,
    escalationMemory: cfg.escalationMemory,
  });
  const overrides = new Counter({
    name: "weir_router_risk_overrides_total",
    help: "Plans the L2 risk override changed, by the rule behind the risk.",
    labelNames: ["rule"],
    registers: [ctx.registry],
  });
  const reuses = new Counter({
    name: "weir_router_turn_reuses_total",
    help: "Turns planned as reuses of a stored answer (L0), generating nothing.",
    registers: [ctx.registry],
  });

  async function stateOf(req: PlanRequest): Promise<ConversationView | undefined> {
    const key = conversationKey(req.conversationId, req.messages);
    if (key === undefined) return undefined;
    try {
      return await store.get(key);
    } catch (err) {
      ctx.log.warn({ err, requestId: req.requestId }, "conversation state unreadable: planning this turn without it");
      return undefined;
    }
  }

  return {
    async plan(req: PlanRequest): Promise<RoutePlan> {
      const plan = await router.plan(req, await stateOf(req));
      if (plan.risk?.overridden === true) overrides.inc({ rule: plan.risk.rules[0] ?? "" });
      if (plan.reuse !== undefined) reuses.inc();
      return plan;
    },
  };
}
