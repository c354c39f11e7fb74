import { connectBus, openDeploymentPlans, type Bus, type DeploymentPlanStore } from "@weir/bus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// The router applies the cascade knob of the deployment plan in force (the
// weir_deployment bucket `weir plan --apply` writes) to live plans: an only
// tier serves every weir-auto request alone, a plain cascade plan brings the
// ladder back, tiers the plan runs no worker for get no rungs, and a plan
// naming a tier the router does not know is ignored. Static ladder, two
// placeholder tiers, and a placeholder QE score (0.1) that rejects every
// small answer, so a normal cascade always escalates small → large.
let fx: StackFixture;
let bus: Bus;
let plans: DeploymentPlanStore;

beforeAll(async () => {
  fx = await startStackFixture({ placeholderScore: 0.1 });
  bus = await connectBus({ name: "plan-knob-test", url: fx.nats.url });
  plans = await openDeploymentPlans(bus);
});

afterAll(async () => {
  await bus?.close();
  await fx?.stop();
});

interface Answered {
  path: string;
  tier: string;
  escalated: string;
  reason: string;
}

/** One chat completion through the gateway: which tiers ran (x-weir-path), which answered, and the router's reason. */
async function ask(model = "weir-auto"): Promise<Answered> {
  const res = await fetch(`${fx.stack.httpUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "What is 17 * 23?" }], max_tokens: 8 }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { weir: { route_reason: string } };
  return {
    path: res.headers.get("x-weir-path") ?? "",
    tier: res.headers.get("x-weir-tier") ?? "",
    escalated: res.headers.get("x-weir-escalated") ?? "",
    reason: body.weir.route_reason,
  };
}

/** Asks until the answer's path is `path` (the router applies a plan as the KV watch delivers it). */
async function untilPath(path: string, timeoutMs = 10_000): Promise<Answered> {
  const deadline = Date.now() + timeoutMs;
  let last: Answered | undefined;
  while (Date.now() < deadline) {
    last = await ask();
    if (last.path === path) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer took the path ${path} within ${timeoutMs} ms; the last: ${JSON.stringify(last)}`);
}

const routerLines = (text: string) => fx.logs.filter((l) => l.startsWith("router |") && l.includes(text));

describe("the router applies the deployment plan's knob", () => {
  it("without a plan, the static ladder escalates small → large", async () => {
    const a = await ask();
    expect(a).toMatchObject({ path: "small,large", tier: "large", escalated: "true" });
    expect(a.reason).toBe("static ladder from weir.yaml: small → large");
  });

  it("only_tier large: every weir-auto request is answered by large alone", async () => {
    await plans.put({ gpu: "h100", tiers: [{ tier: "small", replicas: 0 }, { tier: "large", replicas: 1 }], onlyTier: "large", source: "plan-knob test" });
    const a = await untilPath("large");
    expect(a).toMatchObject({ tier: "large", escalated: "false", reason: "deployment plan: large serves every request" });
    await expect.poll(() => routerLines("deployment plan knob applied: large serves every request, no workers on small").length).toBe(1);
  });

  it("only_tier small: small answers alone although the judge rejects it; a pinned model stays pinned", async () => {
    await plans.put({ gpu: "h100", tiers: [{ tier: "small", replicas: 1 }, { tier: "large", replicas: 0 }], onlyTier: "small", source: "plan-knob test" });
    const a = await untilPath("small");
    expect(a).toMatchObject({ tier: "small", escalated: "false", reason: "deployment plan: small serves every request" });
    expect(await ask("large")).toMatchObject({ path: "large", tier: "large" });
  });

  it("a plan naming a tier the router does not configure is ignored, in one logged sentence", async () => {
    await plans.put({ gpu: "h100", tiers: [{ tier: "huge", replicas: 1 }], onlyTier: "huge", source: "plan-knob test" });
    await expect
      // The log lines are JSON: the quotes around the tier are escaped.
      .poll(() => routerLines('deployment plan ignored: it names tier \\"huge\\" that this router does not configure').length, { timeout: 5000 })
      .toBe(1);
    expect((await ask()).path).toBe("small");
  });

  it("a cascade plan brings the ladder back; β means nothing to the static ladder, and it says so once", async () => {
    await plans.put({ gpu: "h100", tiers: [{ tier: "small", replicas: 1 }, { tier: "large", replicas: 1 }], routerBudget: 0.5, qeThresholdShift: 0.1, source: "plan-knob test" });
    const a = await untilPath("small,large");
    expect(a).toMatchObject({ tier: "large", escalated: "true" });
    expect(a.reason).toBe("static ladder from weir.yaml: small → large; deployment plan: QE thresholds shifted +0.1");
    expect(routerLines("deployment plan knob applied: β=0.5, threshold shift +0.1").length).toBe(1);
    expect(routerLines("router budget β=0.5 is ignored").length).toBe(1);
  });

  it("a cascade plan that runs no large worker drops the large rung, and says so", async () => {
    await plans.put({ gpu: "h100", tiers: [{ tier: "small", replicas: 1 }, { tier: "large", replicas: 0 }], routerBudget: 0.5, source: "plan-knob test" });
    const a = await untilPath("small");
    expect(a).toMatchObject({ tier: "small", escalated: "false" });
    expect(a.reason).toBe("static ladder from weir.yaml: small → large; deployment plan: no workers on large, dropped that rung");
  });

  it("withdrawing the plan gives weir.yaml's routing back", async () => {
    await plans.clear();
    const a = await untilPath("small,large");
    expect(a.reason).toBe("static ladder from weir.yaml: small → large");
    await expect.poll(() => routerLines("deployment plan withdrawn").length).toBe(1);
  });
});
