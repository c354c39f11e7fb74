import { connectBus, openInstanceDirectory, type Bus } from "@weir/bus";
import { applyDeploymentPlan, clearDeploymentPlan, deploymentPlanFor } from "@weir/cli";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// `weir plan --apply` in the local stack: with scheduler.localWorkers on, the
// scheduler (not `weir start`) runs the sim workers and starts and stops them
// to match the plan stored in the weir_deployment bucket.
let fx: StackFixture;
let bus: Bus;
/** The instance directory as placement sees it: `<tier>.<id>` → draining. */
const directory = new Map<string, boolean>();
let stopWatching: () => void = () => undefined;
let fixtureStopped = false;

beforeAll(async () => {
  fx = await startStackFixture({
    tiers: [
      { name: "small", replicas: 1, qeThreshold: 0.7, engine: "sim", model: "meta-llama/Llama-3.1-8B-Instruct", engineOptions: { preset: "llama-3.1-8b/h100", speedup: 50 } },
      { name: "large", replicas: 1, qeThreshold: 0, engine: "sim", model: "meta-llama/Llama-3.1-70B-Instruct", engineOptions: { preset: "llama-3.1-70b/h100x4", speedup: 50 } },
    ],
    env: { WEIR__scheduler__localWorkers__enabled: "true" },
  });
  bus = await connectBus({ name: "plan-apply-test", url: fx.nats.url });
  stopWatching = await (await openInstanceDirectory(bus)).watch({
    onPut: (hb) => directory.set(`${hb.tier}.${hb.instanceId}`, hb.draining),
    onRemove: (tier, id) => directory.delete(`${tier}.${id}`),
  });
});

afterAll(async () => {
  stopWatching();
  await bus?.close();
  if (!fixtureStopped) await fx?.stop();
});

/** Serving (not draining) instances, sorted. */
const serving = () => [...directory].filter(([, draining]) => !draining).map(([k]) => k).sort();

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; directory: ${JSON.stringify([...directory])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** pid of each worker the scheduler started, from its "starting worker <id> (pid <n>)" lines. */
function workerPids(): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of fx.logs) {
    const m = /starting worker (\S+) \(pid (\d+)\)/.exec(line);
    if (line.startsWith("scheduler |") && m) pids.set(m[1]!, Number(m[2]));
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A plan of `small` replicas of 8B on one H100 each and one 70B on 8 H100s. */
const planWith = (small: number) =>
  deploymentPlanFor(
    {
      beta: 0.5,
      thresholdShift: 0,
      tiers: [
        { tier: "small", simModel: "llama-3.1-8b", tensorParallel: 1, replicas: small },
        { tier: "large", simModel: "llama-3.1-70b", tensorParallel: 8, replicas: 1 },
      ],
    },
    "h100",
  );

describe("weir plan --apply in the local stack", () => {
  it("the scheduler started tiers[].replicas before it was ready; the stack started no worker itself", async () => {
    await until("the directory watcher catching up", () => directory.size >= 2);
    expect(serving()).toEqual(["large.large-1", "small.small-1"]);
    expect(fx.stack.processes.map((p) => p.label).filter((l) => l.startsWith("worker:"))).toEqual([]);
    expect([...workerPids().keys()].sort()).toEqual(["large-1", "small-1"]);
    // The workers' own lines come through the scheduler, labelled with their id.
    expect(fx.logs.some((l) => l.startsWith("worker:small-1 |") && l.includes('"instanceId":"small-1"'))).toBe(true);
  });

  it("applies a plan: small 2 × llama-3.1-8b/h100, large 1 × llama-3.1-70b/h100x8 (the old large worker replaced)", async () => {
    const written = await applyDeploymentPlan(planWith(2), { natsUrl: fx.nats.url });
    expect(written.tiers.map((t) => `${t.tier} ${t.replicas} × ${t.preset}`)).toEqual(["small 2 × llama-3.1-8b/h100", "large 1 × llama-3.1-70b/h100x8"]);

    await until("the directory showing small-1, small-2 and large-2 only", () => {
      const s = [...directory.keys()].sort();
      return JSON.stringify(s) === JSON.stringify(["large.large-2", "small.small-1", "small.small-2"]) && serving().length === 3;
    });
    expect(fx.logs.some((l) => /starting worker large-2 .*"preset":"llama-3\.1-70b\/h100x8"/.test(l) || /"preset":"llama-3\.1-70b\/h100x8".*starting worker large-2/.test(l))).toBe(true);
    // The worker leaves the directory as the last step of its drain, then exits.
    await until("the replaced large-1 exiting", () => !alive(workerPids().get("large-1")!), 5000);

    const openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: "weir-auto", messages: [{ role: "user", content: "What is 17 * 23?" }], max_tokens: 16 });
    expect(answer.choices[0]?.message.content?.length ?? 0).toBeGreaterThan(0);
  });

  it("a plan with one small replica stops one small worker, which leaves the directory", async () => {
    const pidOf2 = workerPids().get("small-2")!;
    await applyDeploymentPlan(planWith(1), { natsUrl: fx.nats.url });
    await until("small-2 leaving the directory", () => !directory.has("small.small-2"));
    expect([...directory.keys()].sort()).toEqual(["large.large-2", "small.small-1"]);
    await until("small-2's process exiting", () => !alive(pidOf2), 5000);
  });

  it("withdrawing the plan (weir deployment --clear) brings back weir.yaml's workers", async () => {
    const pidOfLarge2 = workerPids().get("large-2")!;
    await clearDeploymentPlan({ natsUrl: fx.nats.url });
    // large goes back to its configured preset (70B TP4), replaced new-first under the freed id large-1.
    await until("the configured workers only", () => JSON.stringify(serving()) === JSON.stringify(["large.large-1", "small.small-1"]) && !directory.has("large.large-2"));
    expect(fx.logs.some((l) => l.includes("deployment plan withdrawn"))).toBe(true);
    await until("large-2's process exiting", () => !alive(pidOfLarge2), 5000);
  });

  it("stopping the stack leaves no worker process behind", async () => {
    const pids = [...workerPids().values()];
    expect(pids.length).toBe(4);
    fixtureStopped = true;
    await fx.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});
