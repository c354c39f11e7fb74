import { ServicePrefix, serveService } from "@weir/bus";
import { QualityService } from "@weir/proto";
import { PlaceholderJudge } from "@weir/routing";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter } from "prom-client";

/**
 * The QE judge: scores (request, response, tier) and decides accept or
 * escalate against the plan's threshold. Scorer: PLACEHOLDER heuristic (see
 * @weir/routing PlaceholderJudge); the routing issue replaces it with a
 * trained, calibrated quality estimator.
 */
export async function startJudge(ctx: ServiceContext): Promise<StartedService> {
  const judge = new PlaceholderJudge(
    ctx.config.judge.placeholderScore === undefined ? {} : { placeholderScore: ctx.config.judge.placeholderScore },
  );
  const decisions = new Counter({
    name: "weir_qe_decisions_total",
    help: "QE decisions, by tier and outcome (accept or escalate).",
    labelNames: ["tier", "outcome"],
    registers: [ctx.registry],
  });
  const svc = await serveService(ctx.bus, {
    name: "weir-qe-judge",
    version: "0.1.0",
    description: "Scores answers and decides accept or escalate",
    subjectPrefix: ServicePrefix.qe,
    service: QualityService,
    handlers: {
      score: (req) => {
        const score = judge.score(req);
        decisions.inc({ tier: req.tier, outcome: score.accept ? "accept" : "escalate" });
        return { score };
      },
    },
  });
  return { stop: () => svc.stop() };
}
