import { create } from "@bufbuild/protobuf";
import { parseConfig } from "@weir/config";
import { DeploymentPlanSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { desiredFromConfig, desiredFromPlan } from "./desired-tiers.js";

const config = parseConfig(`
tiers:
  - { name: small, model: m, engine: sim, replicas: 1, engineOptions: { preset: llama-3.1-8b/h100 } }
  - { name: large, model: l, engine: sim, replicas: 1, engineOptions: { preset: llama-3.1-70b/h100x4 } }
  - { name: api, model: a, engine: placeholder, replicas: 2 }
`);
const plan = (tiers: { tier: string; preset: string; replicas: number }[]) =>
  create(DeploymentPlanSchema, { gpu: "h100", tiers: tiers.map((t) => ({ ...t, tensorParallel: 1 })), source: "weir plan --apply" });

describe("desired tiers", () => {
  it("from weir.yaml: tiers[].replicas, sim tiers on their preset, others as configured", () => {
    expect(desiredFromConfig(config)).toEqual([
      { tier: "small", preset: "llama-3.1-8b/h100", replicas: 1 },
      { tier: "large", preset: "llama-3.1-70b/h100x4", replicas: 1 },
      { tier: "api", preset: undefined, replicas: 2 },
    ]);
  });

  it("a plan replaces the tiers it names and leaves the others as configured", () => {
    const v = desiredFromPlan(plan([{ tier: "small", preset: "llama-3.1-8b/h100", replicas: 2 }, { tier: "large", preset: "llama-3.1-70b/h100x8", replicas: 1 }]), config);
    expect(v).toEqual({
      desired: [
        { tier: "small", preset: "llama-3.1-8b/h100", replicas: 2 },
        { tier: "large", preset: "llama-3.1-70b/h100x8", replicas: 1 },
        { tier: "api", preset: undefined, replicas: 2 },
      ],
    });
  });

  it("refuses, in one sentence, a plan naming a non-sim tier or an unknown one", () => {
    const v = desiredFromPlan(plan([{ tier: "api", preset: "x/h100", replicas: 1 }, { tier: "huge", preset: "x/h100", replicas: 1 }]), config);
    expect(v).toEqual({
      refused:
        'deployment plan from weir plan --apply refused: tier "api" runs engine "placeholder", and only sim tiers can be started by the scheduler; ' +
        'tier "huge" is not in weir.yaml (its tiers: small, large, api).',
    });
  });
});
