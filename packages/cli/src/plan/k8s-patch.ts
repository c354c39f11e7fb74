// A plan as Kubernetes replica counts: a kustomize overlay of
// infra/k8s (kustomization.yaml + replicas-patch.yaml) that sets each
// worker-<tier> Deployment's replicas. One worker pod serves one replica of
// its tier; the tensor-parallel degree is recorded as an annotation (the
// manifests' sim workers request no GPUs, so a GPU resource request would be
// invented here). A tier the plan gives no GPUs gets replicas: 0.

import type { Deployment } from "@weir/planner";

export interface K8sOverlay {
  "kustomization.yaml": string;
  "replicas-patch.yaml": string;
}

/**
 * @param tiers every tier of the cascade (those without GPUs are scaled to 0)
 * @param base the path of infra/k8s relative to the overlay's directory
 */
export function k8sOverlay(deployment: Deployment, tiers: readonly string[], base: string): K8sOverlay {
  const patch = tiers
    .map((tier) => {
      const t = deployment.tiers.find((d) => d.name === tier);
      return [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        `  name: worker-${tier}`,
        "  namespace: weir",
        "  annotations:",
        `    weir.dev/gpu: ${JSON.stringify(deployment.gpu)}`,
        `    weir.dev/tensor-parallel: ${JSON.stringify(String(t?.tensorParallel ?? 0))}`,
        "spec:",
        `  replicas: ${t?.replicas ?? 0}`,
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
