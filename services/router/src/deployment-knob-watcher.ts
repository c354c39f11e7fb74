import { equals } from "@bufbuild/protobuf";
import { DEPLOYMENT_BUCKET, type DeploymentPlan, openDeploymentPlans } from "@weir/bus";
import { DeploymentPlanSchema } from "@weir/proto";
import { type DeploymentKnob, type KnobHolder, type KnobSource, describeKnob, knobFromDeploymentPlan } from "@weir/routing";
import { AsyncLocalStorage } from "node:async_hooks";
import type { ServiceContext } from "@weir/service-kit";

/**
 * Keeps `holder` at the cascade knob of the deployment plan in force (the
 * weir_deployment bucket `weir plan --apply` writes): β, the threshold shift,
 * the only tier and the tiers without workers. The plan stored at start is
 * applied before this returns, so the first request is already planned
 * under it; every later plan is applied as it arrives, one log line each.
 * A plan naming a tier this router does not configure is ignored (one
 * sentence in the log) and the previous knob stays in force; a withdrawn
 * plan (`weir deployment --clear`) clears the knob.
 */
export async function watchDeploymentKnob(ctx: ServiceContext, holder: KnobHolder, tiers: readonly string[]): Promise<() => void> {
  const plans = await openDeploymentPlans(ctx.bus);
  let last: DeploymentPlan | undefined;
  const apply = (plan: DeploymentPlan): void => {
    // The watch replays the plan already read at start: one line per plan, not per delivery.
    if (last !== undefined && equals(DeploymentPlanSchema, last, plan)) return;
    last = plan;
    const verdict = knobFromDeploymentPlan(plan, tiers);
    if (verdict.knob === undefined) {
      ctx.log.warn({ source: plan.source, createdAtMs: String(plan.createdAtMs) }, verdict.ignored);
      return;
    }
    holder.set(verdict.knob);
    ctx.log.info(
      { knob: verdict.knob, source: plan.source, createdAtMs: String(plan.createdAtMs) },
      `deployment plan knob applied: ${describeKnob(verdict.knob)}`,
    );
  };
  const stored = await plans.get();
  if (stored !== undefined) apply(stored);
  return plans.watch(
    apply,
    (err) => ctx.log.error({ err }, `ignoring a value in ${DEPLOYMENT_BUCKET}: ${String(err)}`),
    () => {
      // `weir deployment --clear`: weir.yaml's routing applies again.
      last = undefined;
      holder.set(undefined);
      ctx.log.info(`deployment plan withdrawn from ${DEPLOYMENT_BUCKET}: routing as weir.yaml configures it`);
    },
  );
}

/**
 * The knob as one request sees it: read from the holder once when the
 * request starts (run), and the same for every layer that plans it, so a
 * plan arriving half-way through a request cannot give it half of each (an
 * only tier from the old plan, the idle tiers of the new). Outside run(),
 * the holder's knob.
 */
export class RequestKnob implements KnobSource {
  readonly #holder: KnobHolder;
  readonly #scope = new AsyncLocalStorage<{ readonly knob: DeploymentKnob | undefined }>();

  constructor(holder: KnobHolder) {
    this.#holder = holder;
  }

  current(): DeploymentKnob | undefined {
    const scoped = this.#scope.getStore();
    return scoped === undefined ? this.#holder.current() : scoped.knob;
  }

  run<T>(fn: (knob: DeploymentKnob | undefined) => T): T {
    const knob = this.#holder.current();
    return this.#scope.run({ knob }, () => fn(knob));
  }
}
