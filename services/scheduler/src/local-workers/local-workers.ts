// scheduler.localWorkers: in the local stack, this scheduler runs the sim
// model-workers itself and keeps them matching the plan `weir plan --apply`
// stores in the weir_deployment bucket. Local stack only: with several
// scheduler replicas, enable it on exactly one (each enabled replica would
// start its own copy of every worker).

import { type Bus, DEPLOYMENT_BUCKET, type DeploymentPlan, openDeploymentPlans } from "@weir/bus";
import type { WeirConfig } from "@weir/config";
import type { Logger } from "@weir/runtime";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { desiredFromConfig, desiredFromPlan } from "./desired-tiers.js";
import { type ApplyOutcome, WorkerSupervisor } from "./worker-supervisor.js";

/** Set by `weir start` to the model-worker it would have started itself. */
export const MODEL_WORKER_ENTRY_ENV = "WEIR_MODEL_WORKER_ENTRY";

export interface LocalWorkers {
  supervisor: WorkerSupervisor;
  /** What the boot apply did (the scheduler is ready once it finished). */
  boot: ApplyOutcome;
  /** Stops watching plans, then stops every worker. */
  stop(): Promise<void>;
}

export interface LocalWorkersOptions {
  bus: Bus;
  config: WeirConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Overrides for tests. */
  onLine?: (id: string, line: string, stream: "stdout" | "stderr") => void;
  readyTimeoutMs?: number;
}

/**
 * Starts the workers (the stored plan's, else tiers[].replicas of weir.yaml),
 * waits until each is ready or has failed with a logged sentence, then
 * applies every new plan stored in weir_deployment.
 */
export async function startLocalWorkers(o: LocalWorkersOptions): Promise<LocalWorkers> {
  const entry = modelWorkerEntry(o.config, o.env);
  const drainMs = Number(o.env.WEIR_DRAIN_TIMEOUT_MS ?? 30_000);
  const supervisor = new WorkerSupervisor({
    entry,
    env: o.env,
    log: o.log,
    // Within the scheduler's own drain budget, so its drain never times out first.
    stopGraceMs: Math.max(1000, Math.min(10_000, drainMs / 2)),
    ...(o.onLine === undefined ? {} : { onLine: o.onLine }),
    ...(o.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: o.readyTimeoutMs }),
  });
  const plans = await openDeploymentPlans(o.bus);
  const toDesired = (plan: DeploymentPlan) => {
    const verdict = desiredFromPlan(plan, o.config);
    if ("refused" in verdict) {
      o.log.error(verdict.refused);
      return undefined;
    }
    const idle = plan.tiers.filter((t) => t.replicas === 0).map((t) => t.tier);
    if (idle.length > 0) {
      // Routers read the same plan and drop these tiers' rungs; a request pinned to one of them gets 503.
      o.log.info(`deployment plan leaves ${idle.join(", ")} without workers; routers stop planning rungs there`);
    }
    return verdict.desired;
  };
  // Until boot is over the service shell has no SIGTERM handler yet, and a
  // signal's default action would leave the children behind: exit instead,
  // which runs the supervisor's exit hook (SIGKILL to every child).
  const bootSignal = () => process.exit(1);
  process.once("SIGTERM", bootSignal);
  process.once("SIGINT", bootSignal);
  try {
    const stored = await plans.get();
    const fromPlan = stored === undefined ? undefined : toDesired(stored);
    o.log.info(
      { entry },
      fromPlan === undefined ? "local workers: starting tiers[].replicas of weir.yaml" : `local workers: starting the plan stored in ${DEPLOYMENT_BUCKET}`,
    );
    const boot = await supervisor.apply(fromPlan ?? desiredFromConfig(o.config));
    const stopWatching = await plans.watch(
      (plan) => {
        const desired = toDesired(plan);
        if (desired !== undefined) void supervisor.apply(desired);
      },
      (err) => o.log.error({ err }, `ignoring a value in ${DEPLOYMENT_BUCKET}: ${String(err)}`),
      () => {
        // `weir deployment --clear`: back to what weir.yaml configures.
        o.log.info(`deployment plan withdrawn from ${DEPLOYMENT_BUCKET}: back to tiers[].replicas of weir.yaml`);
        void supervisor.apply(desiredFromConfig(o.config));
      },
    );
    return {
      supervisor,
      boot,
      async stop() {
        stopWatching();
        await supervisor.stop();
      },
    };
  } catch (err) {
    await supervisor.stop();
    throw err;
  } finally {
    process.removeListener("SIGTERM", bootSignal);
    process.removeListener("SIGINT", bootSignal);
  }
}

/** scheduler.localWorkers.entry, else $WEIR_MODEL_WORKER_ENTRY, else this repository's services/model-worker/dist/main.js. */
export function modelWorkerEntry(config: WeirConfig, env: NodeJS.ProcessEnv): string {
  const configured = config.scheduler.localWorkers?.entry ?? env[MODEL_WORKER_ENTRY_ENV];
  // From services/scheduler/{dist,src}/local-workers/ to services/model-worker/dist/main.js.
  const entry = configured !== undefined ? resolve(configured) : fileURLToPath(new URL("../../../model-worker/dist/main.js", import.meta.url));
  if (!existsSync(entry)) {
    throw new Error(
      `scheduler.localWorkers is enabled but the model-worker entry ${entry} does not exist: build it (pnpm --filter @weir/model-worker build) or set scheduler.localWorkers.entry`,
    );
  }
  return entry;
}
