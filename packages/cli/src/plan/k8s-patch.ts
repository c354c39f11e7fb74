// A plan as Kubernetes replica counts: a kustomize overlay of
// infra/k8s (kustomization.yaml + replicas-patch.yaml) that sets each
// worker-<tier> Deployment's replicas and the sim preset its workers run
// (WEIR__tiers__<tier>__engineOptions__preset, what the local stack's
// scheduler gives the workers it starts). One worker pod serves one replica
// of its tier; the GPU kind and tensor-parallel degree are recorded as
// annotations (the manifests' sim workers request no GPUs, so a GPU resource
// request would be invented here). A tier the plan gives no GPUs gets
// replicas: 0.

/** Per tier of the cascade, as in a DeploymentPlan (deploymentPlanFor). */
export interface OverlayPlan {
  gpu: string;
  tiers: readonly { tier: string; preset: string; tensorParallel: number; replicas: number }[];
}
export interface K8sOverlay {
  "kustomization.yaml": string;
  "replicas-patch.yaml": string;
}

/**
 * @param plan every tier of the cascade (those without GPUs are scaled to 0)
 * @param base the path of infra/k8s relative to the overlay's directory
 */
export function k8sOverlay(plan: OverlayPlan, base: string): K8sOverlay {
  const patch = plan.tiers
    .map((t) => {
      const runs = t.replicas > 0 && t.preset !== "";
      return [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        `  name: worker-${t.tier}`,
        "  namespace: weir",
        "  annotations:",
        `    weir.dev/gpu: ${JSON.stringify(plan.gpu)}`,
        `    weir.dev/tensor-parallel: ${JSON.stringify(String(runs ? t.tensorParallel : 0))}`,
        "spec:",
        `  replicas: ${runs ? t.replicas : 0}`,
        ...(runs
          ? [
              "  template:",
              "    spec:",
              "      containers:",
              `        - name: worker-${t.tier}`,
              "          env:",
              `            - { name: WEIR__tiers__${t.tier}__engineOptions__preset, value: ${JSON.stringify(t.preset)} }`,
            ]
          : []),
      ].join("\n");
    })
    .join("\n---\n");
  const kustomization = [
    "# Written by `weir plan`: the planned worker replicas on top of infra/k8s.",
    "# kubectl apply -k <this directory>",
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    `  - ${base}`,
    "patches:",
    "  - path: replicas-patch.yaml",
    "",
  ].join("\n");
  return { "kustomization.yaml": kustomization, "replicas-patch.yaml": `${patch}\n` };
}
