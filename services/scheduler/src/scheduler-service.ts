import { ServicePrefix, serveService } from "@weir/bus";
import { SchedulerService } from "@weir/proto";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Attr } from "@weir/telemetry/semconv";
import { trace } from "@opentelemetry/api";
import { type LocalWorkers, startLocalWorkers } from "./local-workers/local-workers.js";
import { startSchedulerCore } from "./scheduler-core.js";
import { createSchedulerMetrics } from "./scheduler-metrics.js";

/**
 * The scheduler service: a NATS endpoint (weir.scheduler.place, queue group
 * weir-scheduler) in front of one replica's core (scheduler-core.ts). Every
 * replica reads the same instance directory and the same length plans, so
 * any of them may answer any request.
 */
export async function startScheduler(ctx: ServiceContext): Promise<StartedService> {
  let metrics: ReturnType<typeof createSchedulerMetrics> | undefined;
  const core = await startSchedulerCore(ctx.bus, ctx.config, {
    onKvMatchSkipped(err) {
      metrics?.kvMatchSkipped.inc();
      trace.getActiveSpan()?.addEvent("kv match skipped", { reason: String(err) });
    },
    onPlanAdopted: (plan) => metrics?.plansAdopted.inc({ tier: plan.tier }),
    onWarning: (err, what) => ctx.log.warn({ err }, what),
  });
  metrics = createSchedulerMetrics(ctx.registry, {
    instances: core.registry,
    warmups: core.warmups,
    tiers: () => core.policies.entries().map(([tier]) => tier),
  });
  const placements = metrics.placements;

  // Serve only once the directory has been read: a replica that answered
  // before would refuse placements on a tier it simply has not heard of yet.
  await core.whenCaughtUp;
  const svc = await serveService(ctx.bus, {
    name: "weir-scheduler",
    version: "0.2.0",
    description: "Places each generation on one instance",
    subjectPrefix: ServicePrefix.scheduler,
    service: SchedulerService,
    handlers: {
      place: async (req, { span }) => {
        const result = await core.placer.place(req);
        placements.inc({ tier: req.tier, policy: result.policy, outcome: result.outcome });
        span.setAttributes({
          [Attr.tier]: req.tier,
          [Attr.placementPolicy]: result.policy,
          [Attr.placementReason]: result.ok ? result.placement.reason : result.error.message,
          ...(result.ok ? { [Attr.instanceId]: result.placement.instanceId } : {}),
        });
        if (!result.ok) throw result.error;
        return { placement: result.placement };
      },
    },
  });

  // scheduler.localWorkers (local stack only): this replica runs the sim
  // workers. Awaited, so WEIR_READY comes after the initial workers are
  // ready and `weir start` still means "every worker is up".
  let localWorkers: LocalWorkers | undefined;
  if (ctx.config.scheduler.localWorkers?.enabled === true) {
    try {
      localWorkers = await startLocalWorkers({ bus: ctx.bus, config: ctx.config, env: ctx.env, log: ctx.log });
    } catch (err) {
      await svc.stop();
      await core.stop();
      throw err;
    }
  }

  return {
    ready: core.caughtUp,
    info: localWorkers === undefined ? {} : { localWorkers: localWorkers.supervisor.workers().map((w) => w.id) },
    async stop() {
      await svc.stop();
      await localWorkers?.stop();
      await core.stop();
    },
  };
}
