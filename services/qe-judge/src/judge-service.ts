import { ServicePrefix, serveService } from "@weir/bus";
import type { QualityScore, ScoreRequest } from "@weir/proto";
import { QualityService } from "@weir/proto";
import { LlmJudge, PlaceholderJudge, TrainedJudge, resolveArtifactsDir, watchPolicy } from "@weir/routing";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter } from "prom-client";

interface Scorer {
  score(req: ScoreRequest): QualityScore | Promise<QualityScore>;
}

/**
 * The QE judge: scores (request, response, tier) and decides accept or
 * escalate against the plan's threshold. Scorers: `trained` (the artifact's
 * calibrated QE, reloaded when the file changes; an invalid new file keeps
 * the old one serving), `placeholder` (a heuristic, or a fixed
 * judge.placeholderScore to force escalation in tests), `llm` (a judge model,
 * optional).
 */
export async function startJudge(ctx: ServiceContext): Promise<StartedService> {
  const cfg = ctx.config.judge;
  const decisions = new Counter({
    name: "weir_qe_decisions_total",
    help: "QE decisions, by tier and outcome (accept or escalate).",
    labelNames: ["tier", "outcome"],
    registers: [ctx.registry],
  });
  const reloads = new Counter({
    name: "weir_qe_artifact_reloads_total",
    help: "QE artifact reloads after a change, by outcome (loaded or rejected).",
    labelNames: ["outcome"],
    registers: [ctx.registry],
  });

  let scorer: Scorer;
  let closeWatcher = (): void => undefined;
  const artifacts = cfg.artifacts ?? ctx.config.router.artifacts;
  if (cfg.scorer === "trained" && artifacts !== undefined) {
    const dir = resolveArtifactsDir(artifacts, ctx.env);
    const watcher = watchPolicy(dir, (a) => new TrainedJudge(a), {
      onReload: (a) => {
        reloads.inc({ outcome: "loaded" });
        ctx.log.info({ artifacts: dir, createdAt: a.createdAt }, "QE artifact reloaded");
      },
      onRejected: (err) => {
        reloads.inc({ outcome: "rejected" });
        ctx.log.warn({ err }, `new QE artifact rejected, the previous one keeps serving: ${err.message}`);
      },
    });
    closeWatcher = () => watcher.close();
    const judge = watcher.current();
    const unknown = ctx.config.tiers.map((t) => t.name).filter((t) => !judge.model.hasTier(t));
    if (unknown.length > 0) {
      ctx.log.warn({ tiers: unknown }, `the QE artifact has no model for tier(s) ${unknown.join(", ")}: answers of those tiers cannot be judged`);
    }
    scorer = { score: (req) => watcher.current().score(req) };
    ctx.log.info({ artifacts: dir, createdAt: watcher.artifact().createdAt }, "trained QE ready");
  } else if (cfg.scorer === "llm" && cfg.llm !== undefined) {
    scorer = new LlmJudge({ ...cfg.llm, apiKey: ctx.env.WEIR_JUDGE_API_KEY });
  } else {
    scorer = new PlaceholderJudge(cfg.placeholderScore === undefined ? {} : { placeholderScore: cfg.placeholderScore });
  }

  const svc = await serveService(ctx.bus, {
    name: "weir-qe-judge",
    version: "0.2.0",
    description: "Scores answers and decides accept or escalate",
    subjectPrefix: ServicePrefix.qe,
    service: QualityService,
    handlers: {
      score: async (req) => {
        const score = await scorer.score(req);
        decisions.inc({ tier: req.tier, outcome: score.accept ? "accept" : "escalate" });
        return { score };
      },
    },
  });
  return {
    info: { scorer: cfg.scorer },
    stop: async () => {
      closeWatcher();
      await svc.stop();
    },
  };
}
