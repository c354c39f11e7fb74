import { ServicePrefix, openQeThresholds, serveService } from "@weir/bus";
import type { QualityScore, ScoreRequest } from "@weir/proto";
import { QualityService } from "@weir/proto";
import {
  LlmJudge,
  PlaceholderJudge,
  type RoutingModel,
  TrainedJudge,
  noveltyAdjustedThreshold,
  resolveArtifactsDir,
  watchPolicy,
} from "@weir/routing";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter } from "prom-client";
import { ControlSignalPublisher } from "./control-signal-publisher.js";
import { RequestSignals } from "./request-signals.js";
import { ShadowRecorder } from "./shadow-recorder.js";

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
  // The routing model behind the trained scorer: clusters for L4 keys and L5 novelty / drift.
  let routingModel = (): RoutingModel | undefined => undefined;
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
    routingModel = () => watcher.current().model;
    ctx.log.info({ artifacts: dir, createdAt: watcher.artifact().createdAt }, "trained QE ready");
  } else if (cfg.scorer === "llm" && cfg.llm !== undefined) {
    scorer = new LlmJudge({ ...cfg.llm, apiKey: ctx.env.WEIR_JUDGE_API_KEY });
  } else {
    scorer = new PlaceholderJudge(cfg.placeholderScore === undefined ? {} : { placeholderScore: cfg.placeholderScore });
  }

  // L5: novelty, drift and confidence, published on weir.signals.<kind> and as metrics.
  const requestSignals = new RequestSignals(cfg.signals.driftWindow);
  // L4: shadow outcomes recalibrate thresholds per (tier, cluster), published in weir_qe_thresholds.
  const shadows = new ShadowRecorder({
    settings: cfg.shadow,
    store: await openQeThresholds(ctx.bus),
    clusterOf: (prompt) => requestSignals.clusterOf(routingModel(), prompt),
    registry: ctx.registry,
  });
  const signals = new ControlSignalPublisher(ctx.bus, ctx.registry, cfg.signals.publish);
  const noveltyRule = { above: cfg.signals.noveltyAbove, maxRaise: cfg.signals.noveltyMaxRaise };

  /**
   * The threshold the judge applies: the recalibrated one for (tier, cluster)
   * when shadow verification has moved it, else the plan's; then raised for
   * novel requests (L5 consumer: less trust in the score far from training).
   */
  function effectiveThreshold(tier: string, planned: number, cluster: number | undefined, novelty: number | undefined): { value: number; note: string } {
    const recalibrated = shadows.threshold(tier, cluster);
    const base = recalibrated ?? planned;
    const value = novelty === undefined ? base : noveltyAdjustedThreshold(base, novelty, noveltyRule);
    const notes: string[] = [];
    if (recalibrated !== undefined && recalibrated !== planned) notes.push(`threshold recalibrated by shadow verification ${f2(planned)} → ${f2(recalibrated)}`);
    if (value !== base) notes.push(`raised to ${f2(value)} for novelty ${f2(novelty ?? 0)}`);
    return { value, note: notes.join(", ") };
  }

  const svc = await serveService(ctx.bus, {
    name: "weir-qe-judge",
    version: "0.2.0",
    description: "Scores answers and decides accept or escalate",
    subjectPrefix: ServicePrefix.qe,
    service: QualityService,
    handlers: {
      score: async (req) => {
        const sig = await requestSignals.observe(routingModel(), req.prompt);
        const threshold = effectiveThreshold(req.tier, req.threshold, sig.cluster, sig.novelty);
        const score = await scorer.score(threshold.value === req.threshold ? req : { ...req, threshold: threshold.value });
        if (threshold.note !== "") score.reason = `${score.reason}; ${threshold.note}`;
        decisions.inc({ tier: req.tier, outcome: score.accept ? "accept" : "escalate" });
        const about = { requestId: req.requestId, tier: req.tier, cluster: sig.cluster };
        signals.emit({ ...about, kind: "confidence", value: score.score, detail: `${score.scorer} score of ${req.tier}'s answer` });
        if (sig.novelty !== undefined) {
          signals.emit({ ...about, kind: "novelty", value: sig.novelty, detail: `cosine distance to the centroid of cluster ${sig.cluster}` });
        }
        if (sig.drift !== undefined) {
          signals.emit({ kind: "drift", value: sig.drift, detail: `total variation distance of the last ${cfg.signals.driftWindow} requests' cluster mix from training's` });
        }
        return { score };
      },
      recordShadow: (req) => shadows.record(req),
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

function f2(x: number): string {
  return x.toFixed(2);
}
