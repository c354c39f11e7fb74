// A deployment as the scheduler and the Kubernetes manifests need it: per
// tier, replicas × tensor-parallel degree on GPUs of one kind. What a plan
// produces and what re-planning starts from.

export interface TierDeployment {
  name: string;
  tensorParallel: number;
  replicas: number;
}

export interface Deployment {
  /** GPU kind id, e.g. "h100". */
  gpu: string;
  /** Tiers with GPUs; a tier not listed has none. */
  tiers: readonly TierDeployment[];
}
