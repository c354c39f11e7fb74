import type { QeThresholdStore } from "@weir/bus";
import type { RecordShadowRequest, RecordShadowResponse } from "@weir/proto";
import { ThresholdRecalibrator, answersAgree, thresholdKey, type RecalibrationSettings } from "@weir/routing";
import { Counter, Gauge, type Registry } from "prom-client";

export interface ShadowRecorderOptions {
  readonly settings: RecalibrationSettings;
  /** Where recalibrated thresholds go (the weir_qe_thresholds bucket). */
  readonly store: Pick<QeThresholdStore, "put">;
  /** The cluster of a prompt when the judge has a routing model; undefined otherwise. */
  readonly clusterOf: (prompt: string) => Promise<number | undefined>;
  readonly registry: Registry;
}

/**
 * L4 in the judge: each shadow outcome counts as agreement or not for its
 * (tier, cluster), and the recalibrator moves that key's threshold when a
 * window of minSamples is full. A moved threshold is written to the KV
 * bucket before the reply, so the caller (and tests) can read it at once.
 */
export class ShadowRecorder {
  readonly recalibrator: ThresholdRecalibrator;
  readonly #opts: ShadowRecorderOptions;
  readonly #samples: Counter<"tier" | "cluster" | "agree">;
  readonly #thresholds: Gauge<"tier" | "cluster">;

  constructor(opts: ShadowRecorderOptions) {
    this.#opts = opts;
    this.recalibrator = new ThresholdRecalibrator(opts.settings);
    this.#samples = new Counter({
      name: "weir_qe_shadow_samples_total",
      help: "Shadow verification outcomes received, by tier, cluster and whether the next tier agreed.",
      labelNames: ["tier", "cluster", "agree"],
      registers: [opts.registry],
    });
    this.#thresholds = new Gauge({
      name: "weir_qe_recalibrated_threshold",
      help: "QE threshold recalibrated by shadow verification, by tier and cluster.",
      labelNames: ["tier", "cluster"],
      registers: [opts.registry],
    });
  }

  /** The recalibrated threshold for (tier, cluster), falling back to (tier, all). */
  threshold(tier: string, cluster: number | undefined): number | undefined {
    return (
      (cluster === undefined ? undefined : this.recalibrator.threshold(thresholdKey(tier, cluster))) ??
      this.recalibrator.threshold(thresholdKey(tier))
    );
  }

  async record(req: RecordShadowRequest): Promise<Omit<RecordShadowResponse, "$typeName" | "$unknown">> {
    const cluster = req.cluster ?? (await this.#opts.clusterOf(req.prompt));
    const key = thresholdKey(req.tier, cluster);
    const agreement = answersAgree(req.acceptedResponse, req.shadowResponse);
    const clusterLabel = cluster === undefined ? "all" : String(cluster);
    this.#samples.inc({ tier: req.tier, cluster: clusterLabel, agree: String(agreement.agree) });
    const res = this.recalibrator.record(key, agreement.agree, this.recalibrator.threshold(key) ?? req.threshold);
    if (res.updated) {
      await this.#opts.store.put(key, res.threshold);
      this.#thresholds.set({ tier: req.tier, cluster: clusterLabel }, res.threshold);
    }
    return { agree: agreement.agree, method: agreement.method, key, threshold: res.threshold, updated: res.updated };
  }
}
