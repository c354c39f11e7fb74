import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNats, type LocalNats } from "../stack/nats-supervisor.js";
import { applyDeploymentPlan, deploymentFromStored, deploymentPlanFor, formatDeploymentPlan, idleTierWarning, presetId, readDeploymentPlan } from "./apply-plan.js";

const tier = (name: string, simModel: string, tensorParallel: number, replicas: number) => ({ tier: name, simModel, tensorParallel, replicas });

describe("weir plan --apply: the DeploymentPlan", () => {
  it("names presets <model>/<gpu> at TP1 and <model>/<gpu>x<TP> above", () => {
    expect(presetId("llama-3.1-8b", "h100", 1)).toBe("llama-3.1-8b/h100");
    expect(presetId("llama-3.1-70b", "h200", 4)).toBe("llama-3.1-70b/h200x4");
  });

  it("carries every tier, β and the shift of a cascade", () => {
    const p = deploymentPlanFor(
      { beta: 0.5, thresholdShift: -0.1, tiers: [tier("small", "llama-3.1-8b", 1, 2), tier("large", "llama-3.1-70b", 8, 1)] },
      "h100",
      { nowMs: 1000 },
    );
    expect(p).toEqual({
      gpu: "h100",
      tiers: [
        { tier: "small", preset: "llama-3.1-8b/h100", tensorParallel: 1, replicas: 2 },
        { tier: "large", preset: "llama-3.1-70b/h100x8", tensorParallel: 8, replicas: 1 },
      ],
      routerBudget: 0.5,
      qeThresholdShift: -0.1,
      onlyTier: "",
      source: "weir plan --apply",
      createdAtMs: 1000n,
    });
  });

  it("a single-tier plan names the tier, has no β, and the idle tier runs nothing", () => {
    const p = deploymentPlanFor(
      { onlyTier: "large", beta: 0, thresholdShift: 0.1, tiers: [tier("small", "llama-3.1-8b", 0, 0), tier("large", "llama-3.1-70b", 4, 2)] },
      "h100",
    );
    expect(p.onlyTier).toBe("large");
    expect("routerBudget" in p).toBe(false);
    expect(p.qeThresholdShift).toBe(0);
    expect(p.tiers?.[0]).toEqual({ tier: "small", preset: "", tensorParallel: 0, replicas: 0 });
    expect(idleTierWarning({ tiers: [{ tier: "small", replicas: 0 }, { tier: "large", replicas: 2 }] })).toMatch(/^Note: tier small now runs no worker/);
    expect(idleTierWarning({ tiers: [{ tier: "large", replicas: 2 }] })).toBeUndefined();
  });

  it("reads a stored plan back as the running deployment to re-plan from, on the same GPU kind only", () => {
    const p = deploymentPlanFor(
      { beta: 0.2, thresholdShift: 0, tiers: [tier("small", "llama-3.1-8b", 0, 0), tier("large", "llama-3.1-70b", 4, 2)] },
      "h100",
    );
    const stored = { gpu: p.gpu!, tiers: (p.tiers ?? []).map((t) => ({ tier: t.tier!, tensorParallel: t.tensorParallel!, replicas: t.replicas! })) };
    expect(deploymentFromStored(stored, "h100")).toEqual({ gpu: "h100", tiers: [{ name: "large", tensorParallel: 4, replicas: 2 }] });
    expect(deploymentFromStored(stored, "h200")).toBeUndefined();
  });
});

describe("weir plan --apply: the bucket", () => {
  let nats: LocalNats;
  beforeAll(async () => {
    // A nats-server of our own on a free port (ensureNats starts one when none answers there).
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    nats = await ensureNats(`nats://127.0.0.1:${port}`);
  });
  afterAll(async () => nats.stop());

  it("writes the plan to weir_deployment and reads it back", async () => {
    expect(await readDeploymentPlan({ natsUrl: nats.url })).toBeUndefined();
    const plan = deploymentPlanFor({ beta: 0.25, thresholdShift: 0, tiers: [tier("small", "llama-3.1-8b", 1, 3)] }, "h100", { nowMs: 0 });
    const written = await applyDeploymentPlan(plan, { natsUrl: nats.url });
    const read = await readDeploymentPlan({ natsUrl: nats.url });
    expect(read).toEqual(written);
    expect(formatDeploymentPlan(read!)).toContain("small: 3 × llama-3.1-8b/h100 (TP1)");
    expect(formatDeploymentPlan(read!)).toContain("router budget β = 0.2500, threshold shift +0");
  });

  it("says which NATS it could not reach", async () => {
    await expect(applyDeploymentPlan({ gpu: "h100" }, { natsUrl: "nats://127.0.0.1:1", connectTimeoutMs: 300 })).rejects.toThrow(
      /could not connect to NATS at nats:\/\/127\.0\.0\.1:1/,
    );
  });
});
