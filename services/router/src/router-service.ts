import { ServicePrefix, openQeThresholds, serveService } from "@weir/bus";
import { openConversationPlanner } from "./conversation-planner.js";
import { RequestKnob, watchDeploymentKnob } from "./deployment-knob-watcher.js";
import type { PlanRequest, RoutePlan } from "@weir/proto";
import { RouterService } from "@weir/proto";
import {
  AUTO_MODEL,
  KnobHolder,
  LearnedRouter,
  StaticLadderRouter,
  ThresholdOverrideTable,
  avoidIdleTiers,
  resolveArtifactsDir,
  watchPolicy,
} from "@weir/routing";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter } from "prom-client";

interface Planner {
  plan(req: PlanRequest): RoutePlan | Promise<RoutePlan>;
}

/**
 * The router: turns a request into a plan (the ladder of tiers and the QE
 * threshold at each rung). Policy `learned`: clusters + budget β from the
 * artifact in router.artifacts, reloaded when the file changes (an invalid
 * new file is logged and the old artifact keeps serving). Policy
 * `static-ladder`, or `learned` with no artifact configured: every tier in
 * weir.yaml order (the reason says which, and why). Either way the cascade
 * knob of the deployment plan in force (weir_deployment, `weir plan
 * --apply`) applies on top: β, the threshold shift, an only tier, and no
 * rungs on tiers the plan runs no worker for.
 */
export async function startRouter(ctx: ServiceContext): Promise<StartedService> {
  const cfg = ctx.config.router;
  const plans = new Counter({
    name: "weir_router_plans_total",
    help: "Route plans made, by policy and first tier.",
    labelNames: ["policy", "first_tier"],
    registers: [ctx.registry],
  });
  const reloads = new Counter({
    name: "weir_router_artifact_reloads_total",
    help: "Routing artifact reloads after a change, by outcome (loaded or rejected).",
    labelNames: ["outcome"],
    registers: [ctx.registry],
  });

  // L4: thresholds the qe-judge recalibrated from shadow verification, kept
  // in memory from the bucket's watch so planning never waits on NATS.
  const thresholdOverrides = new ThresholdOverrideTable();
  const stopThresholds = await (await openQeThresholds(ctx.bus)).watch(
    (key, value) => thresholdOverrides.set(key, value),
    (key) => thresholdOverrides.delete(key),
  );

  // The deployment plan's knob, read by whichever router plans (and each one
  // the artifact watcher rebuilds), so a new plan needs no rebuild.
  const holder = new KnobHolder();
  const knob = new RequestKnob(holder);
  const tierNames = ctx.config.tiers.map((t) => t.name);
  const stopKnob = await watchDeploymentKnob(ctx, holder, tierNames);

  let planner: Planner;
  let closeWatcher = (): void => undefined;
  if (cfg.policy === "learned" && cfg.artifacts !== undefined) {
    const dir = resolveArtifactsDir(cfg.artifacts, ctx.env);
    const watcher = watchPolicy(
      dir,
      (a) =>
        new LearnedRouter({
          tiers: ctx.config.tiers,
          artifact: a,
          budget: cfg.budget,
          thresholdOverrides,
          knob,
          ...(cfg.warmUp?.acceptBelow !== undefined ? { warmUpBelow: cfg.warmUp.acceptBelow } : {}),
        }),
      {
        onReload: (a) => {
          reloads.inc({ outcome: "loaded" });
          ctx.log.info({ artifacts: dir, createdAt: a.createdAt, k: a.centroids.length }, "routing artifact reloaded");
        },
        onRejected: (err) => {
          reloads.inc({ outcome: "rejected" });
          ctx.log.warn({ err }, `new routing artifact rejected, the previous one keeps serving: ${err.message}`);
        },
      },
    );
    closeWatcher = () => watcher.close();
    planner = { plan: (req) => watcher.current().plan(req) };
    const learned = watcher.current();
    ctx.log.info({ artifacts: dir, createdAt: watcher.artifact().createdAt, k: learned.model.k, beta: learned.beta }, "learned router ready");
  } else {
    const fixed = new StaticLadderRouter({
      tiers: ctx.config.tiers,
      warmUp: cfg.warmUp?.staticLadder,
      thresholdOverrides,
      knob,
      log: (message) => ctx.log.info(message),
    });
    const note =
      cfg.policy === "learned" ? " (router.policy is learned but router.artifacts is not set: falling back to the static ladder)" : "";
    planner = {
      plan: (req) => {
        const plan = fixed.plan(req);
        if (note !== "" && plan.steps.length > 1) plan.reason += note;
        return plan;
      },
    };
  }

  // SERR-CASCADE L0/L2 + escalation memory around whichever router was chosen (conversation-planner.ts).
  const layered = await openConversationPlanner(ctx, planner);

  const svc = await serveService(ctx.bus, {
    name: "weir-router",
    version: "0.2.0",
    description: "Turns a request into a cascade plan",
    subjectPrefix: ServicePrefix.router,
    service: RouterService,
    handlers: {
      plan: async (req) => {
        // Last, so that no layer (risk override, escalation memory) sends a
        // weir-auto request to a tier the deployment runs no worker for.
        const plan = await knob.run(async (k) => {
          const p = await layered.plan(req);
          return req.model === AUTO_MODEL ? avoidIdleTiers(p, k, tierNames) : p;
        });
        plans.inc({ policy: plan.policy, first_tier: plan.steps[0]?.tier ?? "" });
        return { plan };
      },
    },
  });
  return {
    info: { policy: cfg.policy === "learned" && cfg.artifacts !== undefined ? "learned-clusters" : "static-ladder" },
    stop: async () => {
      closeWatcher();
      stopKnob();
      stopThresholds();
      await svc.stop();
    },
  };
}
