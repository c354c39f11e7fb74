import { loadConfig } from "@weir/config";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

// No Docker engine or cluster runs here, so the deployment files are checked
// for what can be checked without one: they parse, and every service of the
// repository is deployed with a health check, a memory limit and its name.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const services = readdirSync(join(root, "services"));

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: unknown;
  deploy?: { resources?: { limits?: { memory?: string } } };
}

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const weir = Object.entries(compose.services).filter(([, s]) => s.environment?.SERVICE);

  it("runs every Weir service, each with a health check and a memory limit", () => {
    const deployed = new Set(weir.map(([, s]) => s.environment?.SERVICE));
    expect([...deployed].sort()).toEqual([...services].sort());
    for (const [name, s] of weir) {
      expect(s.healthcheck, `${name} healthcheck`).toBeDefined();
      expect(s.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/M$/);
      expect(s.environment?.OTEL_SERVICE_NAME).toBe(s.environment?.SERVICE);
    }
  });

  it("has NATS, the collector, Jaeger, Prometheus and Grafana", () => {
    for (const name of ["nats", "otel-collector", "jaeger", "prometheus", "grafana"]) {
      expect(compose.services[name], name).toBeDefined();
    }
  });
});

describe("Kubernetes manifests", () => {
  const dir = join(root, "infra", "k8s");
  const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] };

  it("deploy every service with probes and limits", () => {
    const deployed = new Set<string>();
    for (const file of kustomization.resources) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
        const m = doc.toJS() as {
          kind: string;
          spec: { template: { spec: { containers: { env?: { name: string; value?: string }[]; readinessProbe?: unknown; resources?: { limits?: { memory?: string } } }[] } } };
        };
        if (m.kind !== "Deployment") continue;
        const c = m.spec.template.spec.containers[0];
        const service = c?.env?.find((e) => e.name === "SERVICE")?.value;
        if (service) deployed.add(service);
        expect(c?.readinessProbe).toBeDefined();
        expect(c?.resources?.limits?.memory).toBeDefined();
      }
    }
    expect([...deployed].sort()).toEqual([...services].sort());
  });

  it("ship a weir.yaml that passes the same validation as every service's", () => {
    const config = loadConfig({ path: join(dir, "weir.yaml"), env: {} });
    expect(config.tiers.map((t) => t.name)).toEqual(["small", "large"]);
  });
});
