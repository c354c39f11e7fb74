import { ServicePrefix, Subjects, createServiceClient, publishProto, type Bus } from "@weir/bus";
import { createShadowVerifier, type CascadePorts, type ShadowVerifier } from "@weir/cascade";
import { ControlSignalSchema, QualityService } from "@weir/proto";
import type { ServiceContext } from "@weir/service-kit";
import { Counter } from "prom-client";

/**
 * L4: the gateway's shadow verifier (judge.shadow), over the cascade's own
 * place and generate ports and the judge's RecordShadow; undefined when
 * judge.shadow.fraction is 0. Outcomes are counted in
 * weir_gateway_shadows_total{tier, outcome}.
 */
export function createGatewayShadow(ctx: ServiceContext, ports: CascadePorts, controlMs: number): ShadowVerifier | undefined {
  const cfg = ctx.config.judge.shadow;
  if (cfg.fraction <= 0) return undefined;
  const judge = createServiceClient(ctx.bus, QualityService, ServicePrefix.qe, { timeoutMs: controlMs });
  const outcomes = new Counter({
    name: "weir_gateway_shadows_total",
    help: "L4 shadow verifications of accepted answers, by accepted tier and outcome (recorded, not-sampled, cancelled-bound, cancelled-refused, failed).",
    labelNames: ["tier", "outcome"],
    registers: [ctx.registry],
  });
  return createShadowVerifier(
    {
      place: (req, signal) => ports.place(req, signal),
      generate: (placement, req, signal) => ports.generate(placement, req, signal),
      recordShadow: (req, signal) => judge.recordShadow(req, { signal }),
    },
    {
      fraction: cfg.fraction,
      maxInFlight: cfg.maxInFlight,
      onReport: (r) => {
        outcomes.inc({ tier: r.tier, outcome: r.outcome });
        if (r.outcome === "failed") ctx.log.debug({ err: r.error, requestId: r.requestId }, "a shadow verification failed");
      },
    },
  );
}

/**
 * L5 risk: wraps the plan port (in place) so each plan with some risk (score
 * above 0) is published on weir.signals.risk; a zero says nothing, and
 * publishing one per request would put a NATS write on every request's path. The gateway publishes it
 * because it is where every plan passes; the router stays request/reply.
 */
export function publishRiskSignals(ports: CascadePorts, bus: Bus, enabled: boolean): void {
  if (!enabled) return;
  const plan = ports.plan.bind(ports);
  ports.plan = async (req, signal) => {
    const p = await plan(req, signal);
    if (p.risk !== undefined && p.risk.score > 0 && bus.isConnected()) {
      publishProto(bus, Subjects.signals("risk"), ControlSignalSchema, {
        kind: "risk",
        value: p.risk.score,
        requestId: req.requestId ?? "",
        tier: p.steps[0]?.tier ?? "",
        detail: p.risk.rules.length > 0 ? `rules: ${p.risk.rules.join(", ")}${p.risk.overridden ? " (overrode the plan)" : ""}` : "no rule fired",
        observedAtMs: BigInt(Date.now()),
      });
    }
    return p;
  };
}
