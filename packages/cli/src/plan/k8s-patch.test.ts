import { describe, expect, it } from "vitest";
import { k8sOverlay } from "./k8s-patch.js";

describe("k8sOverlay", () => {
  it("sets each worker Deployment's replicas and sim preset, scaling a tier without GPUs to 0", () => {
    const o = k8sOverlay(
      {
        gpu: "h100",
        tiers: [
          { tier: "small", preset: "llama-3.1-8b/h100x2", tensorParallel: 2, replicas: 2 },
          { tier: "large", preset: "", tensorParallel: 0, replicas: 0 },
        ],
      },
      "../../infra/k8s",
    );
    const docs = o["replicas-patch.yaml"].split("\n---\n");
    expect(docs).toHaveLength(2);
    expect(docs[0]).toContain("name: worker-small");
    expect(docs[0]).toContain("replicas: 2");
    expect(docs[0]).toContain('weir.dev/tensor-parallel: "2"');
    expect(docs[0]).toMatch(/containers:\n {8}- name: worker-small\n {10}env:\n {12}- \{ name: WEIR__tiers__small__engineOptions__preset, value: "llama-3\.1-8b\/h100x2" \}/);
    expect(docs[1]).toContain("name: worker-large");
    expect(docs[1]).toContain("replicas: 0");
    expect(docs[1]).not.toContain("env:");
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
