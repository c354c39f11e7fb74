import { ServicePrefix, serveService } from "@weir/bus";
import { RouterService } from "@weir/proto";
import { StaticLadderRouter } from "@weir/routing";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter } from "prom-client";

/**
 * The router: turns a request into a plan (the ladder of tiers and the QE
 * threshold at each rung). Policy: PLACEHOLDER static ladder from weir.yaml;
 * the routing issue replaces it with learned clusters and a budget knob.
 */
export async function startRouter(ctx: ServiceContext): Promise<StartedService> {
  const router = new StaticLadderRouter({ tiers: ctx.config.tiers });
  const plans = new Counter({
    name: "weir_router_plans_total",
    help: "Route plans made, by policy and first tier.",
    labelNames: ["policy", "first_tier"],
    registers: [ctx.registry],
  });
  const svc = await serveService(ctx.bus, {
    name: "weir-router",
    version: "0.1.0",
    description: "Turns a request into a cascade plan",
    subjectPrefix: ServicePrefix.router,
    service: RouterService,
    handlers: {
      plan: (req) => {
        const plan = router.plan(req);
        plans.inc({ policy: plan.policy, first_tier: plan.steps[0]?.tier ?? "" });
        return { plan };
      },
    },
  });
  return { stop: () => svc.stop() };
}
