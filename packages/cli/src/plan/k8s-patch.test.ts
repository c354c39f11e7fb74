import { describe, expect, it } from "vitest";
import { k8sOverlay } from "./k8s-patch.js";

describe("k8sOverlay", () => {
  it("sets each worker Deployment's replicas, scaling a tier without GPUs to 0", () => {
    const o = k8sOverlay({ gpu: "h100", tiers: [{ name: "small", tensorParallel: 2, replicas: 2 }] }, ["small", "large"], "../../infra/k8s");
    const docs = o["replicas-patch.yaml"].split("\n---\n");
    expect(docs).toHaveLength(2);
    expect(docs[0]).toContain("name: worker-small");
    expect(docs[0]).toContain("replicas: 2");
    expect(docs[0]).toContain('weir.dev/tensor-parallel: "2"');
    expect(docs[1]).toContain("name: worker-large");
    expect(docs[1]).toContain("replicas: 0");
    expect(o["kustomization.yaml"]).toMatch(/resources:\n {2}- \.\.\/\.\.\/infra\/k8s\npatches:\n {2}- path: replicas-patch.yaml/);
  });

  it("names Deployments that exist in infra/k8s", async () => {
    const { readFileSync } = await import("node:fs");
    const { fileURLToPath } = await import("node:url");
    for (const tier of ["small", "large"]) {
      const manifest = readFileSync(fileURLToPath(new URL(`../../../../infra/k8s/worker-${tier}.yaml`, import.meta.url)), "utf8");
      expect(manifest).toMatch(new RegExp(`kind: Deployment\\nmetadata:\\n  name: worker-${tier}\\n  namespace: weir`));
    }
  });
});
