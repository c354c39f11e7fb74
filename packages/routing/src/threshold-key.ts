/**
 * The key of a recalibrated QE threshold in the NATS KV bucket
 * QE_THRESHOLDS_BUCKET: `<tier>.<cluster>`, or `<tier>.all` when the policy
 * has no clusters (static ladder, placeholder judge). The judge writes them,
 * the router reads them into its plans.
 */
export function thresholdKey(tier: string, cluster?: number): string {
  return `${tier}.${cluster === undefined ? ALL_CLUSTERS : String(cluster)}`;
}

/** The cluster token for thresholds that hold for every request of a tier. */
export const ALL_CLUSTERS = "all";

/** The NATS KV bucket holding recalibrated thresholds (value: the threshold as decimal text). */
export const QE_THRESHOLDS_BUCKET = "weir_qe_thresholds";

/**
 * What a router consults for a rung's threshold: a recalibrated value for
 * (tier, cluster), falling back to (tier, all), or undefined to keep the
 * configured / trained one.
 */
export interface ThresholdOverrides {
  threshold(tier: string, cluster?: number): number | undefined;
}
